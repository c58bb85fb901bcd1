import { Histogram, Registry } from 'prom-client';
import { pausesBetween, readPauses } from '../../bench/proxy-pauses';
import { formatPauses } from '../../bench/summary';
import type { ScenarioResult } from '../../bench/run-scenario';

/** A registry exposing the two metrics as prom-client's default metrics name them. */
function exposition(gc: { kind: string; seconds: number[] }[], loop: { p99: number; max: number }): Promise<string> {
  const registry = new Registry();
  // The buckets prom-client's gc metric uses.
  const h = new Histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'gc',
    labelNames: ['kind'],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    registers: [registry],
  });
  for (const g of gc) for (const s of g.seconds) h.observe({ kind: g.kind }, s);
  const text = `nodejs_eventloop_lag_p99_seconds ${loop.p99}\nnodejs_eventloop_lag_max_seconds ${loop.max}\n`;
  return registry.metrics().then((m) => text + m);
}

describe("the proxy's pauses during the fixed-rate rounds", () => {
  it('reads event-loop delay and GC time by kind, counting pauses longer than 10 ms', async () => {
    const r = readPauses(
      await exposition(
        [
          { kind: 'minor', seconds: [0.002, 0.003, 0.015] },
          { kind: 'major', seconds: [0.025] },
        ],
        { p99: 0.0121, max: 0.0305 },
      ),
    );
    // Node's histogram records the whole interval between its 10 ms samples: the delay is what is past it.
    expect(r.loopP99Ms).toBe(2.1);
    expect(r.loopMaxMs).toBe(20.5);
    expect(r.gc.minor).toEqual({ count: 3, seconds: expect.closeTo(0.02, 6), over10ms: 1 });
    expect(r.gc.major).toEqual({ count: 1, seconds: expect.closeTo(0.025, 6), over10ms: 1 });
  });

  it('gives GC time per second and collections over an interval', async () => {
    const before = readPauses(await exposition([{ kind: 'minor', seconds: [0.002] }], { p99: 0.5, max: 1 }));
    const after = readPauses(
      await exposition(
        [
          { kind: 'minor', seconds: [0.002, 0.004, 0.004] },
          { kind: 'major', seconds: [0.02] },
        ],
        { p99: 0.011, max: 0.02 },
      ),
    );
    // 8 ms minor + 20 ms major over 2 s; the loop figures are the later scrape's (prom-client resets at each)
    expect(pausesBetween(before, after, 2)).toEqual({ loopP99Ms: 1, loopMaxMs: 10, gcMsPerSecond: 14, majorGcs: 1, gcsOver10ms: 1 });
    expect(readPauses('no metrics here').loopP99Ms).toBeNull();
  });

  it("reads an idle loop's delay as none: Node's 10 ms histogram records whole sampling intervals", async () => {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    await new Promise((r) => setTimeout(r, 300));
    h.disable();
    // What prom-client exposes for a loop that did nothing but wait: about one interval.
    expect(h.min / 1e6).toBeGreaterThan(5);
    const r = readPauses(`nodejs_eventloop_lag_p99_seconds ${h.min / 1e9}\nnodejs_eventloop_lag_max_seconds 0.0099\n`);
    expect(r.loopP99Ms).toBeLessThan(2);
    expect(r.loopMaxMs).toBe(0);
  });

  it('shows one row per Tandem scenario and size that recorded them', () => {
    const figures = {
      fixedRate: { p99Ms: 9.5 },
      pausesAtFixedRate: { loopP99Ms: 11, loopMaxMs: 20, gcMsPerSecond: 14, majorGcs: 1, gcsOver10ms: 2 },
      backlogAtFixedRate: 0,
    };
    const rows = formatPauses([
      { id: '4', sizes: { '2k': figures } } as unknown as ScenarioResult,
      { id: '2', sizes: { '2k': { fixedRate: { p99Ms: 3 } } } } as unknown as ScenarioResult,
    ]);
    expect(rows.filter((l) => l.startsWith('| 4 '))).toEqual(['| 4 | 2k | 9.5 | 11 / 20 | 14 | 1 | 2 | 0 |']);
    expect(rows.some((l) => l.startsWith('| 2 '))).toBe(false);
    expect(formatPauses([])).toEqual([]);
  });
});
