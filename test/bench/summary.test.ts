import type { BenchResults } from '../../bench/results-types';
import type { ScenarioResult, SizeFigures } from '../../bench/run-scenario';
import { checkTargets, formatRedisCost, formatSummary, mirroredPercent, summaryRows } from '../../bench/summary';
import type { RedisCostResult } from '../../bench/worker-cluster';

const figures = (rps: number, p99Ms: number, fixedCpu: number): SizeFigures => ({
  saturation: { tool: 'wrk', connections: 50, durationSec: 6, requests: rps * 6, rps, errors: 0, non2xx: 0, p50Ms: 5, p99Ms: 20 },
  fixedRate: { rate: 1000, sent: 5000, completed: 5000, errors: 0, non2xx: 0, achievedRate: 1000, p50Ms: 0.5, p99Ms, maxMs: p99Ms + 1 },
  cpuPercent: 99,
  cpuUsPerRequest: Math.round(1e6 / rps),
  fixedCpuUsPerRequest: fixedCpu,
});

const scenario = (
  id: string,
  kind: ScenarioResult['kind'],
  rps: number,
  p99Ms: number,
  fixedCpu: number,
  peakRssMb: number,
): ScenarioResult => ({
  id,
  title: `scenario ${id}`,
  kind,
  extra: false,
  sizes: { '2k': figures(rps, p99Ms, fixedCpu) },
  peakRssMb,
});

const results: Pick<BenchResults, 'scenarios' | 'worker'> = {
  scenarios: [
    scenario('2', 'reference', 4000, 1.0, 200, 100),
    scenario('3', 'tandem', 3900, 1.2, 210, 150),
    { ...scenario('4', 'tandem', 2600, 3.5, 400, 180), sizes: { '2k': { ...figures(2600, 3.5, 400), fixedKernelPercent: 40 } } },
    scenario('5', 'tandem', 2550, 3.0, 390, 190),
    scenario('6', 'tandem', 2000, 2.5, 300, 250),
  ],
  worker: {
    micro: [
      { case: '2k equal', perSecond: 30000, result: 'match' },
      { case: '2k differing', perSecond: 4000, result: 'mismatch' },
    ],
    e2e: [],
  },
};

describe('benchmark summary', () => {
  it('computes ratios to the reference (2)', () => {
    const rows = summaryRows(results.scenarios);
    const four = rows.find((r) => r.id === '4')!;
    expect(four.rpsRatio).toBe(0.65);
    expect(four.p99DeltaMs).toBe(2.5);
    expect(four.rssRatio).toBe(1.8);
    expect(four.cpuBoundRatio).toBe(0.5);
    expect(rows.find((r) => r.id === '2')!.rpsRatio).toBe(1);
    expect(rows.find((r) => r.id === '3')!.rpsRatio).toBe(0.98);
  });

  it('marks latencies taken while the proxy could not keep up with the fixed rate', () => {
    const slow = scenario('6', 'tandem', 2000, 900, 300, 150);
    slow.sizes['2k']!.fixedRate.achievedRate = 400;
    const rows = summaryRows([results.scenarios[0], slow]);
    expect(rows.map((r) => r.rateSustained)).toEqual([true, false]);
  });

  it('evaluates each target and says by how much a missed one is short', () => {
    const t = Object.fromEntries(checkTargets(results).map((c) => [c.target, c]));
    expect(t['(4) ≥ 0.6 × (2) req/s, 2k']).toMatchObject({ met: true, measured: '0.65×' });
    expect(t['(4) p99 ≤ (2) p99 + 2 ms, 2k']).toMatchObject({ met: false, shortBy: '0.5 ms' });
    expect(t['(5) ≥ 0.95 × (4) req/s, 2k']).toMatchObject({ met: true, measured: '0.98×' });
    expect(t['(6) ≥ 0.95 × (4) req/s, 2k']).toMatchObject({ met: false, measured: '0.77×', shortBy: '0.18× (18.9%)' });
    expect(t['(3) ≥ 0.95 × (2) req/s, 2k'].met).toBe(true);
    expect(t['(4) ≥ 0.6 × (2), CPU-bound estimate, 2k']).toMatchObject({ met: false, measured: '0.5×' });
    expect(t['Tandem peak RSS ≤ 150 MB, (6)']).toMatchObject({ met: false, shortBy: '100 MB' });
    expect(t['Tandem peak RSS ≤ 150 MB, (3)'].met).toBe(true);
    // issue #20: the shadow's cost against proxying alone (3): 400 / 210 µs, p99 3.5 against 1.2 ms
    expect(t['(4) CPU per request ≤ 1.4 × (3), 2k']).toMatchObject({ met: false, measured: '1.9×', shortBy: '0.5×' });
    expect(t['(4) p99 ≤ (3) p99 + 2 ms, 2k']).toMatchObject({ met: false, measured: '2.3 ms', shortBy: '0.3 ms' });
    expect(t['worker 2k equal ≥ 20000/s (in-process)'].met).toBe(true);
    expect(t['worker 2k differing ≥ 5000/s (in-process)']).toMatchObject({ met: false, shortBy: '1000/s (20%)' });
    expect(t['worker 2k equal ≥ 20000/s (through Redis)']).toBeUndefined();
  });

  it('formats a table with one row per scenario and size', () => {
    const text = formatSummary({
      ...results,
      machine: {
        date: '2025-01-01T00:00:00.000Z',
        cpu: 'Test CPU',
        cores: 2,
        memoryGb: 4,
        os: 'Linux',
        node: '20.0.0',
        loadAverageAtStart: 0.1,
        pinned: true,
      },
      plan: { sizes: ['2k'], tool: 'wrk', connections: 50, warmupSec: 2, saturateSec: 6, fixedSec: 3, fixedRounds: 3, rate: 1000 },
      notes: [],
    });
    // the kernel's share of the fixed-rate CPU, where it was measured ('–' where not)
    expect(text).toContain('| 4 | scenario 4 | 2k | 2600 | 0.65 | 99 | 0.5 | 3.5 | 2.5 | 400 | 40 | 0.5 | 180 | 1.8 |');
    expect(text).toContain('| 5 | scenario 5 | 2k | 2550 | 0.64 | 99 | 0.5 | 3 | 2 | 390 | – | 0.51 | 190 | 1.9 |');
    expect(text).toContain('| 2k equal | 30000 | – |');
    expect(text).toContain('| (6) ≥ 0.95 × (4) req/s, 2k | 0.77× | no, short by 0.18× (18.9%) |');
  });

  it('counts as mirrored what was neither dropped nor skipped, of the requests answered', () => {
    // (5) at the old maxInFlight: 253 of 2,746 dropped as candidate_busy
    expect(mirroredPercent({ seen: 2746, shadowed: 2493, 'dropped:candidate_busy': 253 })).toBe(90.79);
    // a client gone before its answer (the load generator stopping) is not a request to mirror; one in flight still is
    expect(mirroredPercent({ seen: 1997, shadowed: 1985, 'skipped:client_closed': 7 })).toBe(100);
    expect(mirroredPercent({ seen: 1001, shadowed: 998, 'dropped:candidate_busy': 1, 'skipped:client_closed': 1 })).toBe(99.9);
    expect(mirroredPercent({})).toBeNull();
  });

  it("checks (5)'s mirrored share and (4w) against nginx's mirror (7)", () => {
    const withCounters = (s: ScenarioResult, counters: Record<string, number>) => ({ ...s, counters });
    const fourW = scenario('4w', 'tandem', 2000, 30, 700, 140);
    fourW.sizes['2k'] = {
      ...fourW.sizes['2k']!,
      comparedAll: { rps: 1000, seconds: 10, served: 10000, compared: 10000, dropped: 0, skipped: 0 },
    };
    const checks = checkTargets({
      scenarios: [
        scenario('2', 'reference', 3000, 15, 500, 120),
        fourW,
        withCounters(scenario('5', 'tandem', 2500, 40, 700, 140), { seen: 1000, shadowed: 999, 'dropped:candidate_busy': 1 }),
        scenario('7', 'nginx', 5000, 10, 150, 15),
        scenario('7s', 'nginx', 1000, 60, 150, 15),
      ],
      worker: null,
    });
    expect(checks.find((c) => c.target.startsWith('(4w) ≥ 0.4 × (7)'))).toMatchObject({ measured: '0.2×', met: false });
    expect(checks.find((c) => c.target.startsWith('(4w) nothing dropped'))).toMatchObject({ met: true });
    expect(checks.find((c) => c.target.startsWith('(5) ≥ 99.9%'))).toMatchObject({ measured: '99.9%', met: true });
    expect(checks.find((c) => c.target.startsWith('(5) ≥ 1.5 × (7s)'))).toMatchObject({ measured: '2.5×', met: true });
  });
});

describe('the Redis cost table', () => {
  const shard = (node: string, ops: number, share: number, routes: number, partitions: number) => ({
    node,
    ops,
    opsPerExchange: ops / 1000,
    share,
    cpuMsPerExchange: 0.1,
    routes,
    partitions,
  });
  const base = {
    case: '2k equal',
    exchanges: 1000,
    routes: 48,
    opsPerExchange: 29,
    replicaCpuMsPerExchange: 0,
    idleCpuMsPerSecond: 1,
    seconds: 5,
    perSecond: 400,
  };
  const single: RedisCostResult = {
    ...base,
    target: 'single Redis',
    config: {},
    cpuMsPerExchange: 0.2,
    shards: [shard('127.0.0.1:1', 29000, 1, 48, 9)],
    spread: 1,
  };
  const cluster: RedisCostResult = {
    ...base,
    target: 'cluster',
    config: { queue: { partitions: 9, spread: 'route' } },
    cpuMsPerExchange: 0.3,
    replicaCpuMsPerExchange: 0.2,
    shards: [shard('a', 10000, 0.345, 18, 2), shard('b', 8000, 0.276, 12, 2), shard('c', 11000, 0.379, 18, 5)],
    spread: 1.14,
  };

  it("shows each master's commands per exchange, share and what it holds, and the spread", () => {
    const [head, , one, many] = formatRedisCost([single, cluster]);
    expect(head).toContain('spread (busiest ÷ even)');
    expect(one).toBe('| single Redis, 48 routes | 2k equal | 29 | 29 (100%) | 1 | 0.2 | 0 | 1 | 5 | 400 |');
    expect(many).toBe(
      '| cluster, 3 masters, 48 routes, 9 partitions (spread: route) | 2k equal | 29 | 10 (35%; 18 routes, 2 partitions) / 8 (28%; 12 routes, 2 partitions) / 11 (38%; 18 routes, 5 partitions) | 1.14 | 0.3 | 0.2 | 1 | 5 | 400 |',
    );
  });
});
