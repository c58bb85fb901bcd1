import { startBackend, type TestBackend } from '../support/backends';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { parseProm, valueOf } from '../support/prom-text';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { createWorkerOps } from '../../src/ops';
import { createStoreFor } from '../../src/runtime';
import { openRedis } from '../../src/store';
import { createLogger } from '../../src/log';

/**
 * The metrics endpoints while Redis holds its connection open and answers nothing
 * (redis-server stopped with SIGSTOP: a stalled host, `CLIENT PAUSE`, `DEBUG SLEEP`). The
 * figures read from Redis at scrape time (queue, lag, match rate) waited on ioredis, which
 * waits for ever: `/metrics` of `tandem serve` and of `tandem worker --metrics-port` never
 * answered (a scraper saw a timeout, not `tandem_redis_up 0`), and under `--processes` the
 * primary left every process out and answered an empty 200. A scrape now waits
 * `health.timeoutMs` for Redis, then answers with `tandem_redis_up 0`, the process's own
 * counters, and no Redis figures (the queue gauges were also left at their last values).
 */
describe('fault: /metrics while Redis does not answer', () => {
  let redis: RedisProcess;
  let legacy: TestBackend;
  let t: TestTandem;
  let worker: ReturnType<typeof createWorkerOps>;
  let workerUrl: string;
  let stopped = false;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = await startRedisProcess();
    legacy = await startBackend(() => ({ body: { id: 1 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      redis: { url: redis.url, prefix: 'metrics-redis-paused' },
      // What a scrape waits for Redis: the answered scrapes must not run out of it on a loaded machine (was 500 ms).
      health: { timeoutMs: 2000 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    const config = t.server.middleware.runtime.config;
    const client = openRedis(redis.url, 'client');
    closers.push(() => client.quit().catch(() => client.disconnect()));
    worker = createWorkerOps(config, {
      target: redis.url,
      redis: client,
      store: createStoreFor(config, client),
      log: createLogger('silent'),
    });
    workerUrl = (await worker.serve(0, '127.0.0.1', () => null)).url;
  });
  afterAll(async () => {
    if (stopped) redis.child.kill('SIGCONT');
    await worker?.close();
    for (const close of closers) await close();
    await t?.server.close();
    await legacy?.close();
    await redis?.remove();
  });

  // No scrape may wait past 20 s (the bound is health.timeoutMs; the rest is slack for a loaded machine).
  const scrape = async (base: string) => {
    const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(20_000) });
    return { status: res.status, samples: parseProm(await res.text()) };
  };
  const names = (samples: ReturnType<typeof parseProm>) => new Set(samples.map((s) => s.name));

  it('answers with tandem_redis_up 0 and the process counters, without the Redis figures, then recovers', async () => {
    for (const id of ['1', '2', '3']) expect((await request(`${t.url}/products/${id}`)).status).toBe(200);
    await t.waitFor(async () => ((await t.counters('product')).compared ?? 0) >= 3);
    for (const base of [t.opsUrl, workerUrl]) {
      const up = await scrape(base);
      expect(valueOf(up.samples, 'tandem_redis_up')).toBe(1);
      expect(valueOf(up.samples, 'tandem_queue_jobs', { state: 'waiting' })).toBe(0);
      expect(valueOf(up.samples, 'tandem_match_rate', { route: 'product' })).toBe(1);
    }

    redis.child.kill('SIGSTOP');
    stopped = true;
    // Twice: a scrape while the first one's read is still unanswered is bounded too.
    for (const base of [t.opsUrl, workerUrl, t.opsUrl, workerUrl]) {
      const down = await scrape(base);
      expect(down.status).toBe(200);
      expect(valueOf(down.samples, 'tandem_redis_up')).toBe(0);
      expect(Number.isNaN(valueOf(down.samples, 'tandem_queue_lag_seconds'))).toBe(true);
      for (const gone of ['tandem_queue_jobs', 'tandem_match_rate', 'tandem_results']) expect(names(down.samples)).not.toContain(gone);
    }
    expect(valueOf((await scrape(t.opsUrl)).samples, 'tandem_seen_total', { route: 'product' })).toBe(3);

    redis.child.kill('SIGCONT');
    stopped = false;
    for (const base of [t.opsUrl, workerUrl])
      await t.waitFor(async () => valueOf((await scrape(base)).samples, 'tandem_redis_up') === 1, 15_000);
    expect(valueOf((await scrape(workerUrl)).samples, 'tandem_match_rate', { route: 'product' })).toBe(1);
  }, 90_000);
});
