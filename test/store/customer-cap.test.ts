import { configSchema } from '../../src/config';
import { countCustomers, OVERFLOW_CUSTOMER, ResultsStore, type RedisClient } from '../../src/store';
import { customerRows } from '../../src/report';
import type { ComparisonResult } from '../../src/records';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange } from '../support/exchanges';

/** Issue #14 finding 7: client-chosen customer ids must not grow Redis without bound. */
describe('per-route customer cardinality cap', () => {
  const prefix = uniquePrefix('customer-cap');
  let redis: RedisClient;
  beforeAll(() => {
    redis = openTestRedis();
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  const match: ComparisonResult = { class: 'match', differences: [], noise: [], suspectedNoise: [] };
  const mismatch: ComparisonResult = {
    class: 'mismatch',
    risk: 'high',
    differences: [{ path: 'a', kind: 'changed', legacy: 1, candidate: 2 }],
    noise: [],
    suspectedNoise: [],
    signature: 'a',
  };

  it('5,000 distinct customers on a cap of 100 make bounded keys, and the overflow reconciles', async () => {
    const store = new ResultsStore(redis, prefix, {
      mismatchesPerRoute: 50,
      exchangesPerRoute: 50,
      ttlSeconds: 3600,
      customersPerRoute: 100,
    });
    const total = 5000;
    const at = Date.now();
    for (let i = 0; i < total; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => {
          const n = i + j;
          const ex = { ...exchange(`cap-${n}`, { a: 1 }, { a: n % 5 ? 1 : 2 }, { at: at + n }), customer: `customer-${n}` };
          return store.record(ex, n % 5 ? match : mismatch, { fieldPaths: n % 5 ? [] : ['a'], noisePaths: [] });
        }),
      );
    }
    const keys = await keysUnder(prefix);
    const family = (f: string) => keys.filter((k) => k.startsWith(`{${prefix}}:route:product:${f}`)).length;
    // at most the cap plus the overflow customer, per per-customer family
    expect(family('ex-by:customer:')).toBeLessThanOrEqual(101);
    expect(family('mm-by:customer:')).toBeLessThanOrEqual(101);
    expect(family('readiness-customer:')).toBeLessThanOrEqual(101);
    expect(family('ex-by:customer:')).toBeGreaterThan(0);
    // besides the per-exchange done markers (expiring), everything else is per route:
    // 50 exchange and 50 mismatch records, 3 families of at most 101, a few dozen route keys
    expect(keys.filter((k) => !k.includes(':done:')).length).toBeLessThan(50 + 50 + 3 * 101 + 40);
    expect(await redis.scard(store.keys.customerSet('product'))).toBe(101);
    expect(await redis.hlen(store.keys.customers('product'))).toBeLessThanOrEqual(101 * 3);
    // every per-customer key expires
    for (const k of keys.filter((key) => /:(ex-by|mm-by):customer:|:readiness-customer:/.test(key)))
      expect(await redis.ttl(k)).toBeGreaterThan(0);

    const counters = (await store.counters(['product'])).product;
    expect(counters.compared).toBe(total);
    expect(counters.customer_overflow).toBe(total - 100);
    const { items } = await customerRows(store, ['product'], { offset: 0, limit: 1000 });
    expect(items).toHaveLength(101);
    expect(items.reduce((s, r) => s + r.compared, 0)).toBe(counters.compared);
    expect(items.reduce((s, r) => s + r.mismatch, 0)).toBe(counters.mismatch);
    const other = items.find((r) => r.customer === OVERFLOW_CUSTOMER);
    expect(other?.compared).toBe(counters.customer_overflow);
    // a customer within the cap keeps its own row
    expect(items.find((r) => r.customer === 'customer-0')?.compared).toBe(1);
  });

  it('over the memory budget a new customer gets no state of its own (counted, as (other))', async () => {
    const p3 = `${prefix}-budget`;
    // a budget far below what Redis already uses: every write is over it
    const store = new ResultsStore(redis, p3, { mismatchesPerRoute: 10, exchangesPerRoute: 10, ttlSeconds: 3600, maxMemoryMb: 0.001 });
    try {
      for (let n = 0; n < 20; n++) {
        const ex = { ...exchange(`budget-${n}`, { a: 1 }, { a: 1 }), customer: `b-${n}` };
        await store.record(ex, match, { fieldPaths: [], noisePaths: [] });
      }
      const counters = (await store.counters(['product'])).product;
      expect(counters).toMatchObject({ compared: 20, customer_overflow: 20, 'not_stored:memory_budget': 20 });
      expect(await redis.smembers(store.keys.customerSet('product'))).toEqual([OVERFLOW_CUSTOMER]);
      const perCustomer = (await keysUnder(p3)).filter((k) => /:customer:|:readiness-customer:/.test(k));
      expect(perCustomer.length).toBeGreaterThan(0);
      expect(perCustomer.filter((k) => !k.endsWith(store.keys.segment(OVERFLOW_CUSTOMER)))).toEqual([]);
    } finally {
      await deletePrefix(p3);
    }
  });

  it("the rollout's per-customer counters share the cap", async () => {
    const p2 = `${prefix}-ingress`;
    const store = new ResultsStore(redis, p2, { mismatchesPerRoute: 10, exchangesPerRoute: 10, ttlSeconds: 3600 });
    try {
      const entries: [string, string, number][] = Array.from({ length: 30 }, (_, i) => [`c${i}`, 'fallback', 1]);
      await countCustomers(redis, store.keys, new Map([['product', entries]]), 10);
      const fields = await redis.hgetall(store.keys.customers('product'));
      expect(Object.keys(fields)).toHaveLength(11);
      expect(Number(fields[`${OVERFLOW_CUSTOMER}|fallback`])).toBe(20);
      expect(Object.values(fields).reduce((s, v) => s + Number(v), 0)).toBe(30);
    } finally {
      await deletePrefix(p2);
    }
  });

  it('is configured by retention.customersPerRoute, 1,000 by default', () => {
    const base = {
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      routes: [{ name: 'p', match: 'GET /p' }],
    };
    expect(configSchema.parse(base).retention.customersPerRoute).toBe(1000);
    expect(configSchema.parse({ ...base, retention: { customersPerRoute: 50 } }).retention.customersPerRoute).toBe(50);
    expect(configSchema.safeParse({ ...base, retention: { customersPerRoute: 0 } }).success).toBe(false);
  });
});
