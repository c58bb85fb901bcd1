import { clearDerived, KEY_SPECS, ResultsStore, type KeyName, type RedisClient } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange, processDeps } from '../support/exchanges';

/** A regex of each declared key family of a deployment, from the schema's patterns. */
function families(prefix: string): [KeyName, RegExp][] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (Object.keys(KEY_SPECS) as KeyName[])
    .filter((n) => !KEY_SPECS[n].pattern.startsWith('<queue>'))
    .map((n) => [
      n,
      new RegExp(
        `^${esc(`{${prefix}}:`)}${KEY_SPECS[n].pattern
          .split(/<[a-z]+#?>/)
          .map(esc)
          .join('[^:]+')}$`,
      ),
    ]);
}

describe('clear-derived follows the key schema', () => {
  const prefix = uniquePrefix('clear-derived');
  let redis: RedisClient;
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it('every key the record script writes is declared, and rediff clearing leaves only kept keys', async () => {
    redis = openTestRedis();
    const store = new ResultsStore(redis, prefix, {
      mismatchesPerRoute: 100,
      exchangesPerRoute: 100,
      ttlSeconds: 3600,
      customersPerRoute: 2,
    });
    const deps = processDeps();
    const cases = [
      exchange('d1', { price: 10, ts: 1 }, { price: 11, ts: 2 }, { repeat: { price: 10, ts: 3 } }),
      exchange('d2', { price: 10 }, { price: 10 }),
      exchange('d3', { items: [{ id: 1 }] }, { items: [{ id: 2 }] }),
      exchange('d4', { a: 'x' }, { a: 'y' }),
    ].map((ex, i) => ({ ...ex, customer: ['acme', 'a:b', '}{x', 'zed'][i] }));
    for (const ex of cases) {
      const out = await processExchange(ex, deps);
      await store.record(ex, out.result, out);
    }
    await redis.multi().hincrby(store.keys.counters('product'), 'seen', 4).sadd(store.keys.routes, 'product').exec();
    const decl = families(prefix);
    const declared = (key: string) => decl.find(([, re]) => re.test(key))?.[0];
    const before = await keysUnder(prefix);
    expect(before.filter((k) => !declared(k))).toEqual([]);
    // the record script wrote derived keys of several families, per-customer ones included
    const derivedBefore = before.filter((k) => KEY_SPECS[declared(k)!].derived === true);
    expect(derivedBefore.map(declared)).toEqual(
      expect.arrayContaining(['mismatch', 'signatures', 'customerSet', 'exchangesByCustomer', 'customerReadiness', 'trend', 'causes']),
    );

    const ids = await clearDerived(store, 'product');
    expect(ids.sort()).toEqual(['d1', 'd2', 'd3', 'd4']);
    const after = await keysUnder(prefix);
    expect(after.filter((k) => KEY_SPECS[declared(k)!].derived === true)).toEqual([]);
    const counters = (await store.counters(['product'])).product;
    expect(counters).toEqual({ seen: 4 });
    expect(await redis.hlen(store.keys.customers('product'))).toBe(0);
  });
});
