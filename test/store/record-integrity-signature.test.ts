import { ResultsStore, type RecordItem, type RedisClient } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

/**
 * An exchange whose own part fails after the signature section (here: its cause's stored
 * examples are not JSON), the second of its signature in the pack: the rollback also takes
 * back what it changed of the signature's buffered state (latest sample, samples), so the
 * signature does not point at a mismatch the counters never counted and the store deleted.
 */
describe('the record script: a failed exchange of a signature already seen in its pack', () => {
  const prefix = uniquePrefix('integritysig');
  let redis: RedisClient;
  beforeAll(() => void (redis = openTestRedis()));
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it("leaves the signature's sample and samples as the pack's exchanges that were counted left them", async () => {
    const store = new ResultsStore(redis, prefix, RETENTION);
    const items: RecordItem[] = [];
    for (let i = 0; i < 2; i++) {
      const ex = exchange(`sg-${i}`, { price: i }, { price: -i - 1 }, { route: 'sg', at: 1_700_000_000_000 + i });
      const processed = await processExchange(ex, processDeps());
      items.push({ exchange: ex, result: processed.result, extra: processed });
    }
    const sig = items[0].result.signature!;
    expect(items[1].result.signature).toBe(sig);
    // The second exchange alone names a cause whose stored examples are not JSON: its part fails in the causes section.
    const cause = { key: 'broken', pattern: 'p', kind: 'k', transform: 't', label: 'l', example: { path: 'price' } };
    items[1] = { ...items[1], extra: { ...items[1].extra!, causes: [cause] } };
    await redis.hset(store.keys.causeMeta('sg'), 'broken|examples', 'not json');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    const meta = await redis.hgetall(store.keys.signatureMeta('sg'));
    expect({ sample: meta[`${sig}|sample`], samples: JSON.parse(meta[`${sig}|samples`]) }).toEqual({ sample: 'sg-0', samples: ['sg-0'] });
    expect(await store.mismatch('sg-1')).toBeNull();
    expect((await store.counters(['sg'])).sg).toEqual({ compared: 1, mismatch: 1 });
  });
});
