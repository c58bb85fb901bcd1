import { ResultsStore, type RecordItem, type RedisClient } from '../../src/store';
import type { ComparisonResult } from '../../src/records';
import { processExchange } from '../../src/worker';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

/**
 * Review (review1): the per-exchange rollback of the record script takes back an
 * exchange's counts and its buffered index entries, but not the mismatch record and the
 * route's mismatch index entry it wrote itself (`keep`, before the signature section) when
 * its part fails later. The worker then records it as a failed comparison, which never
 * rewrites that mismatch record (a failure has none), so the report's mismatch list keeps
 * an exchange that the counters say is `unparseable`, and its total disagrees with them.
 */
describe('the record script: an exchange whose own part fails leaves no stored mismatch behind', () => {
  const prefix = uniquePrefix('integrityrec');
  let redis: RedisClient;
  beforeAll(() => void (redis = openTestRedis()));
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  const failed: ComparisonResult = { class: 'unparseable', differences: [], noise: [], suspectedNoise: [], reason: 'failed:RecordFailed' };

  it("the report's mismatch list agrees with the counters after the worker's failure record", async () => {
    const store = new ResultsStore(redis, prefix, RETENTION);
    const items: RecordItem[] = [];
    for (let i = 0; i < 3; i++) {
      const ex = exchange(`rb-${i}`, { price: i }, { price: -i - 1 }, { route: 'rb', at: 1_700_000_000_000 + i });
      const processed = await processExchange(ex, processDeps());
      items.push({ exchange: ex, result: processed.result, extra: processed });
    }
    // As record-integrity's 'alone' case: the second exchange's signature samples are not JSON.
    items[1] = { ...items[1], result: { ...items[1].result, signature: 'bad' } };
    await redis.hset(store.keys.signatureMeta('rb'), 'bad|samples', 'not json');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // What the worker does with the rejected one (comparePack).
    expect(await store.record(items[1].exchange, failed, { fieldPaths: [], noisePaths: [] })).toBe('recorded');
    expect((await store.counters(['rb'])).rb).toEqual({ compared: 3, mismatch: 2, unparseable: 1 });
    const page = await store.indexPage('rb', { class: 'mismatch' }, { from: 0, to: Date.now(), offset: 0, limit: 10 });
    expect({ total: page.total, ids: [...page.ids].sort() }).toEqual({ total: 2, ids: ['rb-0', 'rb-2'] });
    expect(await store.mismatch('rb-1')).toBeNull();
  });
});
