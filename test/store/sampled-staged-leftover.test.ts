import { ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';
import type { RedisClient } from '../../src/store';

// Review of issue #20 (sampled exchange records). A worker's first try of a pack stages a
// long exchange record (`staged:exchange:<id>`, written just before the record script) and
// dies (or loses its connection) before the script runs: the job comes back, and the retry's
// sampler decides afresh. A sampled-in retry re-stages and COPY+DELs the key as before; a
// sampled-out retry must not leave that staged key behind for `retention.ttlSeconds`
// (a record-sized key nothing reads, outside every index and the memory budget's estimate).
describe('record: a sampled-out retry of a staged exchange', () => {
  const prefix = uniquePrefix('sampled-staged');
  let redis: RedisClient;
  let store: ResultsStore;
  beforeAll(() => {
    redis = openTestRedis();
    // stage every record (as records >= STAGE_FROM_CHARS are): the path under review, with small bodies
    store = new ResultsStore(redis, prefix, RETENTION, { stageFromChars: 0 });
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  const item = async (id: string, route: string, candidatePrice: number, sampledOut: boolean): Promise<RecordItem> => {
    const body = { id, price: 10 };
    const ex = exchange(id, body, { ...body, price: candidatePrice }, { route });
    const out = await processExchange(ex, processDeps());
    return { exchange: ex, result: out.result, extra: out, ...(sampledOut ? { sampledOut: true } : {}) };
  };
  /** What the first (sampled-in) try wrote before it died: the staged record, with the record's TTL. */
  const firstTryStaged = async (route: string, id: string) => {
    const key = store.keys.stagedExchange(store.keys.recordId(route, id));
    await redis.set(key, JSON.stringify({ id: store.keys.recordId(route, id), staged: 'by the first try' }), 'EX', RETENTION.ttlSeconds);
    return key;
  };

  it.each([
    ['match', 10],
    ['mismatch', 12],
  ])('a sampled-out %s leaves no staged key, whatever an earlier try staged', async (cls, price) => {
    const route = `leftover-${cls}`;
    const id = `x-${cls}`; // exchange ids (and their done markers) are the deployment's: one per case
    const staged = await firstTryStaged(route, id);
    const [settled] = await store.recordPack([await item(id, route, price, true)]);
    expect(settled.status === 'fulfilled' && settled.value).not.toBe('duplicate');
    expect((await store.counters([route]))[route]).toMatchObject({ compared: 1, [cls]: 1, 'not_stored:sampled': 1 });
    // not stored, as sampled out...
    expect(await redis.exists(store.keys.exchange(store.keys.recordId(route, id)))).toBe(0);
    // ...and nothing staged is left for the TTL (a sampled-in retry COPYs and deletes it)
    expect(await redis.exists(staged)).toBe(0);
    expect((await keysUnder(prefix)).filter((k) => k.startsWith(prefix) && k.includes('staged'))).toEqual([]);
  });

  it('the same first try followed by a sampled-in retry leaves nothing staged (as before sampling)', async () => {
    const route = 'leftover-in';
    const staged = await firstTryStaged(route, 'x2');
    await store.recordPack([await item('x2', route, 10, false)]);
    expect(await redis.exists(staged)).toBe(0);
    expect(await redis.exists(store.keys.exchange(store.keys.recordId(route, 'x2')))).toBe(1);
  });
});
