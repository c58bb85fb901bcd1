import http from 'node:http';
import { startBackend, type TestBackend } from '../support/backends';
import { startTandemProcess, tempDir, writeConfig } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { get, sleep } from './helpers/load';
import { dropped, readState } from './helpers/store-state';
import { stopWorkerRig, workerFaultConfig } from './helpers/worker-rig';

const tallyOf = (xs: string[]) => xs.reduce<Record<string, number>>((t, x) => ((t[x] = (t[x] ?? 0) + 1), t), {});

interface Sent {
  startedAt: number;
  status?: number;
  error?: string;
}

describe('fault: tandem serve gets SIGTERM under load', () => {
  const prefix = uniquePrefix('sigterm');
  const dir = tempDir('sigterm');
  let legacy: TestBackend;
  let candidate: TestBackend;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { id: r.url }, delayMs: 300 }));
    candidate = await startBackend((r) => ({ body: { id: r.url }, delayMs: 200 }));
  });
  afterAll(() => stopWorkerRig({ backends: [legacy, candidate], prefix, dir }));

  it('stops accepting, finishes in-flight requests, flushes queued comparisons and exits 0', async () => {
    const config = writeConfig(
      dir.path,
      workerFaultConfig(
        { legacy: legacy.url, candidate: candidate.url, prefix },
        { routes: [{ name: 'product', match: 'GET /products/:id' }] },
      ),
    );
    const { child, url } = await startTandemProcess(config);

    const sent: Sent[] = [];
    let signalAt = Infinity;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const loop = async (n: number) => {
      for (let i = 0; ; i++) {
        const s: Sent = { startedAt: Date.now() };
        sent.push(s);
        try {
          s.status = (await get(`${url}/products/${n}-${i}`, agent)).status;
        } catch (e) {
          s.error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
          return; // the server is gone: this client stops
        }
      }
    };
    const loops = Promise.all(Array.from({ length: 8 }, (_, n) => loop(n)));
    await sleep(1200);
    signalAt = Date.now();
    const inFlightAtSignal = sent.filter((s) => s.status === undefined && s.error === undefined).length;
    child.kill('SIGTERM');
    const exit = await child.exited;
    const exitMs = Date.now() - signalAt;
    await loops;
    agent.destroy();

    const before = sent.filter((s) => s.startedAt < signalAt);
    const after = sent.filter((s) => s.startedAt >= signalAt);
    const served = sent.filter((s) => s.status === 200).length;
    const state = await readState(TEST_REDIS_URL, prefix, 'product');
    const c = state.counters;
    recordFigures('sigterm-under-load', {
      sent: sent.length,
      startedBeforeSignal: before.length,
      inFlightAtSignal,
      failedOfThose: before.filter((s) => s.status !== 200).length,
      startedAfterSignal: after.length,
      afterOutcomes: tallyOf(after.map((s) => String(s.status ?? s.error))),
      exit,
      exitMs,
      counters: c,
      jobsLeftInQueue: state.pending,
      exchangesLeftInQueue: state.pendingExchanges,
      lost: (c.shadowed ?? 0) - (c.compared ?? 0) - state.pendingExchanges - dropped(c),
    });

    expect(exit).toEqual({ code: 0, signal: null });
    expect(inFlightAtSignal).toBeGreaterThan(0);
    // Every request that reached Tandem before the signal got legacy's answer.
    expect(before.filter((s) => s.status !== 200)).toEqual([]);
    // Nothing after the signal was served by a new connection: they were refused or reset.
    expect(after.every((s) => s.status === 200 || ['ECONNREFUSED', 'ECONNRESET'].includes(s.error ?? ''))).toBe(true);
    // Every served request was seen and shadowed, and every shadow is compared or still queued: none lost.
    expect(c.seen).toBe(served);
    expect(c.shadowed).toBe(served);
    expect(dropped(c)).toBe(0);
    expect((c.compared ?? 0) + state.pendingExchanges).toBe(served);
  }, 60_000);
});
