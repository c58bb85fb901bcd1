import { ResultsStore, scanKeys } from '../../src/store';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { sleep } from './helpers/load';
import { sampleMismatch } from './helpers/sample-results';

describe('limits: retention keeps storage bounded', () => {
  const prefixes: string[] = [];
  const redis = openTestRedis();
  const storeWith = (retention: ConstructorParameters<typeof ResultsStore>[2]) => {
    const prefix = uniquePrefix('retention');
    prefixes.push(prefix);
    return { prefix, store: new ResultsStore(redis, prefix, retention) };
  };
  const count = async (pattern: string) => (await scanKeys(redis, pattern)).length;

  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(p);
    await redis.quit();
  });

  it('keeps at most the per-route cap of exchanges and mismatches, newest first, and counts them all', async () => {
    const { prefix, store } = storeWith({ mismatchesPerRoute: 5, exchangesPerRoute: 8, ttlSeconds: 3600 });
    const t0 = Date.now();
    for (let n = 0; n < 30; n++) {
      const { exchange, result, extra } = sampleMismatch('product', n, 300, t0 + n);
      await store.record(exchange, result, extra);
    }
    const counters = (await store.counters(['product'])).product;
    const ids = await redis.zrange(`{${prefix}}:route:product:mismatches`, 0, -1);
    recordFigures('retention-caps', {
      recorded: 30,
      counters,
      mismatchKeys: await count(`{${prefix}}:mismatch:*`),
      exchangeKeys: await count(`{${prefix}}:exchange:*`),
    });

    expect(counters).toMatchObject({ compared: 30, mismatch: 30 });
    expect(ids).toEqual([25, 26, 27, 28, 29].map((n) => `${(t0 + n).toString(36)}-product-${n}`));
    expect(await count(`{${prefix}}:mismatch:*`)).toBe(5);
    expect(await count(`{${prefix}}:exchange:*`)).toBe(8);
  });

  it('expires stored records after ttlSeconds, and done markers after dedupeSeconds', async () => {
    const { prefix, store } = storeWith({ mismatchesPerRoute: 100, exchangesPerRoute: 100, ttlSeconds: 1, dedupeSeconds: 60 });
    const { exchange, result, extra } = sampleMismatch('product', 1, 300);
    await store.record(exchange, result, extra);
    expect(await redis.exists(`{${prefix}}:mismatch:${exchange.id}`)).toBe(1);
    const doneTtl = await redis.ttl(`{${prefix}}:done:${exchange.id}`);
    await sleep(1300);
    expect(await redis.exists(`{${prefix}}:mismatch:${exchange.id}`, `{${prefix}}:exchange:${exchange.id}`)).toBe(0);
    // The next write trims index entries older than the TTL.
    const later = sampleMismatch('product', 2, 300);
    await store.record(later.exchange, later.result, later.extra);
    expect(await redis.zrange(`{${prefix}}:route:product:mismatches`, 0, -1)).toEqual([later.exchange.id]);
    expect(doneTtl).toBeGreaterThan(1);
    expect(doneTtl).toBeLessThanOrEqual(60);
    // Recording the same exchange again is a no-op while its marker lives.
    expect(await store.record(exchange, result, extra)).toBe('duplicate');
    expect((await store.counters(['product'])).product.compared).toBe(2);
  });

  it('over the memory budget, still counts every result but stores none in full', async () => {
    const { prefix, store } = storeWith({ mismatchesPerRoute: 100, exchangesPerRoute: 100, ttlSeconds: 3600, maxMemoryMb: 0.001 });
    for (let n = 0; n < 5; n++) {
      const { exchange, result, extra } = sampleMismatch('product', n, 300);
      await store.record(exchange, result, extra);
    }
    const counters = (await store.counters(['product'])).product;
    expect(counters).toMatchObject({ compared: 5, mismatch: 5, 'not_stored:memory_budget': 5 });
    expect(await count(`{${prefix}}:mismatch:*`)).toBe(0);
    expect(await count(`{${prefix}}:exchange:*`)).toBe(0);
  });
});
