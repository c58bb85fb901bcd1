import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startRedisProcess, startTandemProcess, tempDir, writeConfig, type Child, type RedisProcess } from '../support/processes';
import { recordFigures } from './helpers/figures';
import { sleep, startLoad, waitUntil } from './helpers/load';
import { dropped, readState } from './helpers/store-state';

/**
 * Fault: Redis stops (SHUTDOWN SAVE, as a restart of a persistent Redis) under sustained
 * traffic and comes back on the same port. Tandem runs as a real `tandem serve` process.
 */
describe('fault: Redis stopped under traffic, then restarted', () => {
  const prefix = 'faults-redis-outage';
  const dir = tempDir('redis-outage');
  let redis: RedisProcess;
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: { child: Child; url: string };

  beforeAll(async () => {
    redis = await startRedisProcess();
    legacy = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    candidate = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    const config = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      // Every compared exchange must be a match: a loaded machine must not turn a slow answer into a timeout (was 300 ms).
      candidate: { url: candidate.url, timeoutMs: 5000 },
      redis: { url: redis.url, prefix },
      report: { token: 'faults-token-0123456789' },
      queue: { bufferSize: 40 },
      worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    tandem = await startTandemProcess(config);
  });

  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close(), redis?.remove()]);
    dir.remove();
  });

  it('serves every client, counts what it could not queue, and resumes queueing by itself', async () => {
    const load = startLoad(
      tandem.url,
      (i) => `/products/${i}`,
      2,
      (r, i) => r.status === 200 && r.body.includes(`"/products/${i}"`),
      { pauseMs: 20 },
    );
    await sleep(1500);
    const beforeOutage = load.sent;
    await redis.stop({ save: true });
    // Down for 2.5 s and at least 60 requests (more than the 40 the buffer holds): a fixed 2.5 s gave about 200
    // on an idle machine, and near the 40 on a loaded one, where the clients' requests take longer.
    const downAt = Date.now();
    while (Date.now() - downAt < 2500 || (load.sent - beforeOutage < 60 && Date.now() - downAt < 30_000)) await sleep(100);
    const duringOutage = load.sent - beforeOutage;
    await redis.start();
    await sleep(2000);
    const client = await load.stop();

    // Every exchange is accounted for: compared, or dropped with a counted reason.
    const state = await waitUntil(
      () => readState(redis.url, prefix, 'product').catch(() => ({ counters: {} as Record<string, number>, pending: -1, failed: -1 })),
      (s) => s.counters.seen === client.sent && s.pending === 0 && (s.counters.compared ?? 0) + dropped(s.counters) === s.counters.seen,
      30_000,
      250,
    );
    const c = state.counters;
    recordFigures('redis-outage', {
      sent: client.sent,
      duringOutage,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      counters: c,
      failedJobs: state.failed,
      lost: c.seen - (c.compared ?? 0) - dropped(c),
    });

    expect(client.errors).toEqual([]);
    expect(client.failed).toBe(0);
    expect(client.ok).toBe(client.sent);
    expect(duringOutage).toBeGreaterThan(40);
    // More arrived during the outage than the buffer holds: the excess was dropped and counted.
    expect(c['dropped:buffer_full']).toBeGreaterThan(0);
    expect(c['dropped:buffer_full']).toBeLessThanOrEqual(client.sent - beforeOutage - 40);
    expect(c.shadowed + (c['dropped:candidate_busy'] ?? 0)).toBe(client.sent);
    expect(c.compared + dropped(c)).toBe(client.sent);
    expect(c.match).toBe(c.compared);
    expect(state.failed).toBe(0);
  }, 60_000);

  it('keeps comparing after Redis is back (queueing resumed on its own)', async () => {
    const before = (await readState(redis.url, prefix, 'product')).counters;
    const load = startLoad(
      tandem.url,
      (i) => `/products/after-${i}`,
      2,
      (r) => r.status === 200,
      { total: 20 },
    );
    const client = await load.done;
    const after = await waitUntil(
      () => readState(redis.url, prefix, 'product'),
      (s) => s.counters.compared === before.compared + 20,
      15_000,
    );
    expect(client.failed).toBe(0);
    expect(after.counters['dropped:buffer_full']).toBe(before['dropped:buffer_full']);
  });

  it('exits 0 on SIGTERM after the outage', async () => {
    tandem.child.kill('SIGTERM');
    expect(await tandem.child.exited).toEqual({ code: 0, signal: null });
  });
});
