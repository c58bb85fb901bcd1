import IORedis from 'ioredis';
import { ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { exchange, processDeps } from '../support/exchanges';

// A pack must leave Redis as recording its exchanges one by one leaves it, also where the
// exchange cap and the retention's age cut trim records: an exchange record trimmed at once
// is in no index, and a record the cap drops is deleted (found in review of the pack's
// once-per-pack index writes, which had put the exchange records' own index among them).
describe('record pack: records trimmed by the exchange cap', () => {
  const prefixes: string[] = [];
  let redis: IORedis;
  beforeAll(() => void (redis = new IORedis(TEST_REDIS_URL)));
  afterAll(async () => {
    await redis.quit();
    for (const p of prefixes) await deletePrefix(p);
  });

  const stores = (retention: { mismatchesPerRoute: number; exchangesPerRoute: number; ttlSeconds: number }) => {
    const one = uniquePrefix('pack-trim-one');
    const all = uniquePrefix('pack-trim-all');
    prefixes.push(one, all);
    return { alone: new ResultsStore(redis, one, retention), together: new ResultsStore(redis, all, retention) };
  };
  const item = async (id: string, at: number, route: string, customer?: string): Promise<RecordItem> => {
    const ex = { ...exchange(id, { v: 1 }, { v: 1 }, { at, route }), ...(customer ? { customer } : {}) };
    const processed = await processExchange(ex, processDeps());
    return { exchange: ex, result: processed.result, extra: processed };
  };
  const stored = (s: ResultsStore, route: string, id: string) => redis.exists(s.keys.exchange(s.keys.recordId(route, id)));

  it('an exchange older than the newest exchangesPerRoute is trimmed at once and put in no class or customer index', async () => {
    const { alone, together } = stores({ mismatchesPerRoute: 10, exchangesPerRoute: 2, ttlSeconds: 3600 });
    const at = Date.now() - 60_000;
    const list = [
      await item('s1', at + 10_000, 'stale', 'a'),
      await item('s2', at + 20_000, 'stale', 'a'),
      await item('s3', at + 5000, 'stale', 'late'),
    ];
    for (const it of list) await alone.record(it.exchange, it.result, it.extra);
    await together.recordPack(list);
    const late = (s: ResultsStore) => redis.zrange(s.keys.exchangesByCustomer('stale', 'late'), 0, -1);
    const matches = (s: ResultsStore) => redis.zrange(s.keys.exchangesByClass('stale', 'match'), 0, -1);
    expect(await stored(alone, 'stale', 's3')).toBe(0);
    expect(await late(alone)).toEqual([]);
    expect(await stored(together, 'stale', 's3')).toBe(0);
    expect(await late(together)).toEqual([]);
    expect((await matches(together)).sort()).toEqual((await matches(alone)).sort());
  });

  it('a record the cap drops is deleted even when a later exchange of the pack ages it out of the index', async () => {
    const { alone, together } = stores({ mismatchesPerRoute: 10, exchangesPerRoute: 1, ttlSeconds: 10 });
    const at = Date.now() - 300_000;
    const x = await item('x', at + 100_000, 'agecap');
    const list = [await item('a', at + 105_000, 'agecap'), await item('b', at + 200_000, 'agecap')];
    for (const s of [alone, together]) await s.record(x.exchange, x.result, x.extra);
    for (const it of list) await alone.record(it.exchange, it.result, it.extra);
    await together.recordPack(list);
    expect([await stored(alone, 'agecap', 'x'), await stored(alone, 'agecap', 'a')]).toEqual([0, 1]);
    expect([await stored(together, 'agecap', 'x'), await stored(together, 'agecap', 'a')]).toEqual([0, 1]);
  });
});
