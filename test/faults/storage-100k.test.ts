import { openRedis, ResultsStore, type RedisClient } from '../../src/store';
import { killAll, startRedisProcess, type RedisProcess } from '../support/processes';
import { recordFigures } from './helpers/figures';
import { sampleMismatch } from './helpers/sample-results';

const MB = 1024 * 1024;

/**
 * Record `total` mismatches as the worker does, in packs (`packSize`, default 64, the default
 * `queue.packSize`) with at most `window` exchanges in flight; returns used_memory (bytes)
 * each time another `every` have been recorded.
 */
async function push(
  store: ResultsStore,
  total: number,
  o: { routes: string[]; bodyBytes: number; every: number; window?: number; packSize?: number },
): Promise<number[]> {
  const samples: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const at = Date.now();
  const packSize = o.packSize ?? 64;
  for (let n = 0; n < total; n += packSize) {
    const items = [];
    for (let i = n; i < Math.min(total, n + packSize); i++)
      items.push(sampleMismatch(o.routes[i % o.routes.length], i, o.bodyBytes, at + i));
    const p = store.recordPack(items).then((settled) => {
      inFlight.delete(p);
      const failed = settled.find((x) => x.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    });
    inFlight.add(p);
    if (inFlight.size * packSize >= (o.window ?? 200)) await Promise.race(inFlight);
    if (Math.floor(Math.min(total, n + packSize) / o.every) > Math.floor(n / o.every)) {
      await Promise.all(inFlight);
      samples.push(usedMemory(await store.redis.info('memory')));
    }
  }
  await Promise.all(inFlight);
  return samples;
}

const usedMemory = (info: string) => Number(/^used_memory:(\d+)/m.exec(info)?.[1]);

describe('limits: 100,000 mismatches stay under the memory budget', () => {
  const budgetMb = 64;
  let redis: RedisProcess;
  // Closed after the suite even when a test fails or times out mid-push: an open client
  // reconnecting to the removed Redis would keep jest from exiting (seen: a CI run hung).
  const clients: RedisClient[] = [];
  const client = () => {
    const c = openRedis(redis.url, 'client');
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedisProcess();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.remove();
    await killAll();
  });

  it('plateaus at the per-route caps: every mismatch counted, used_memory under the budget', async () => {
    const routes = ['products', 'orders', 'customers', 'search', 'prices'];
    const store = new ResultsStore(client(), 'faults-100k', {
      mismatchesPerRoute: 1000,
      exchangesPerRoute: 1000,
      ttlSeconds: 7 * 24 * 3600,
      dedupeSeconds: 600,
      maxMemoryMb: budgetMb,
    });
    const started = Date.now();
    const samples = await push(store, 100_000, { routes, bodyBytes: 600, every: 25_000 });
    const seconds = (Date.now() - started) / 1000;
    const counters = await store.counters(routes);
    const stored = await Promise.all(routes.map((r) => store.redis.zcard(`{faults-100k}:route:${r}:mismatches`)));
    const keys = await store.redis.dbsize();
    recordFigures('storage-100k', {
      mismatches: 100_000,
      seconds,
      budgetMb,
      usedMbAt25kSteps: samples.map((b) => +(b / MB).toFixed(1)),
      keys,
      storedPerRoute: stored,
      counted: routes.reduce((n, r) => n + counters[r].mismatch, 0),
      notStored: routes.reduce((n, r) => n + (counters[r]['not_stored:memory_budget'] ?? 0), 0),
    });
    await store.redis.quit();

    expect(routes.reduce((n, r) => n + counters[r].mismatch, 0)).toBe(100_000);
    expect(stored).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(Math.max(...samples)).toBeLessThan(budgetMb * MB);
    // Past the caps, only the short-lived done markers (dedupeSeconds) still grow: well under 1 KB per mismatch.
    expect((samples[3] - samples[1]) / 50_000).toBeLessThan(1024);
  }, 300_000);

  it('with bodies too big for the caps, stops storing in full at the budget and still counts everything', async () => {
    const store = new ResultsStore(client(), 'faults-big', {
      mismatchesPerRoute: 1000,
      exchangesPerRoute: 1000,
      ttlSeconds: 7 * 24 * 3600,
      dedupeSeconds: 600,
      maxMemoryMb: budgetMb,
    });
    await store.redis.flushall(); // this test's own redis-server: start from empty
    // 3,000 mismatches of ~32 KB bodies would need ~250 MB at these caps.
    const samples = await push(store, 3000, { routes: ['big'], bodyBytes: 32 * 1024, every: 500, window: 50 });
    const counters = (await store.counters(['big'])).big;
    recordFigures('storage-budget', {
      mismatches: 3000,
      bodyBytes: 32 * 1024,
      budgetMb,
      usedMbEvery500: samples.map((b) => +(b / MB).toFixed(1)),
      counters,
    });
    await store.redis.quit();

    expect(counters.mismatch).toBe(3000);
    expect(counters['not_stored:memory_budget']).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(budgetMb * MB);
  }, 300_000);
});
