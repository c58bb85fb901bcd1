import type { ComparisonResult, Difference } from '../../src/records';
import { ResultsStore, type RedisClient } from '../../src/store';
import { fitRecord } from '../../src/store/record-cap';
import { fakeExchange } from '../report/seed';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';

/**
 * The stored record is capped (issue 14 #6): an exchange with 1.4 MB bodies and a
 * mismatch with 1,000 long differences stay under `retention.maxRecordBytes`, still
 * counted in full; what was left out is said.
 */
describe('stored records under retention.maxRecordBytes', () => {
  const prefix = uniquePrefix('reccap');
  const CAP = 256 * 1024;
  let redis: RedisClient;
  let store: ResultsStore;

  beforeAll(() => {
    redis = openTestRedis();
    store = new ResultsStore(redis, prefix, { mismatchesPerRoute: 100, exchangesPerRoute: 100, ttlSeconds: 3600, maxRecordBytes: CAP });
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  const big = (n: number, v: number) => ({ items: Array.from({ length: n }, (_, i) => ({ i, v: v + i, note: 'x'.repeat(20) })) });

  it('leaves the largest bodies out (size and SHA-256 kept) and says so; counters count the result', async () => {
    const ex = fakeExchange({ id: 'big1', route: 'r', at: 1000, legacy: big(30_000, 0), candidate: big(30_000, 1) });
    expect(ex.legacy.body!.data.length).toBeGreaterThan(1_000_000);
    const differences: Difference[] = Array.from({ length: 1000 }, (_, i) => ({
      path: `items[${i}].v`,
      kind: 'changed',
      legacy: i,
      candidate: i + 1,
    }));
    const result: ComparisonResult = {
      class: 'mismatch',
      risk: 'medium',
      signature: 'items[*].v',
      differences,
      omittedDifferences: 29_000,
      noise: [],
      suspectedNoise: [],
    };
    await store.record(ex, result, { fieldPaths: ['items[*].v'], noisePaths: [] });
    const raw = (await redis.get(store.keys.mismatch('big1')))!;
    expect(raw.length).toBeLessThanOrEqual(CAP);
    expect((await redis.get(store.keys.exchange('big1')))!.length).toBeLessThanOrEqual(CAP);
    const m = (await store.mismatch('big1'))!;
    expect(m.exchange.storedWithout).toEqual(expect.arrayContaining(['legacy.body', 'candidate.body']));
    expect(m.exchange.legacy.body).toMatchObject({
      data: '',
      truncated: true,
      size: ex.legacy.body!.size,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(m.result.differences).toHaveLength(1000);
    expect(m.result.omittedDifferences).toBe(29_000);
    expect((await store.counters(['r'])).r).toMatchObject({ compared: 1, mismatch: 1 });
  });

  it('turns long difference values into previews, then keeps the differences that fit and counts the rest', async () => {
    const ex = fakeExchange({ id: 'big2', route: 'r', at: 2000 });
    const long = 'y'.repeat(2000);
    const differences: Difference[] = Array.from({ length: 1000 }, (_, i) => ({
      path: `items[${i}].text`,
      kind: 'changed',
      legacy: long,
      candidate: `${long}!`,
    }));
    const result: ComparisonResult = {
      class: 'mismatch',
      risk: 'medium',
      signature: 'items[*].text',
      differences,
      noise: [],
      suspectedNoise: [],
    };
    await store.record(ex, result, { fieldPaths: ['items[*].text'], noisePaths: [] });
    const raw = (await redis.get(store.keys.mismatch('big2')))!;
    expect(raw.length).toBeLessThanOrEqual(CAP);
    const m = (await store.mismatch('big2'))!;
    expect(m.result.differences[0].legacy).toEqual({ $preview: JSON.stringify(long).slice(0, 200), bytes: JSON.stringify(long).length });
    expect(m.result.differences.length + (m.result.omittedDifferences ?? 0)).toBe(1000);
    expect(m.result.signature).toBe('items[*].text');
  });

  it('counts a body shared by legacy and the candidate once, as it is stored', async () => {
    // each body ~150 KB: both in full would be over the 256 KB cap, the text once is under it
    const ex = fakeExchange({ id: 'shared', route: 'r', at: 2500, legacy: big(3_000, 0), candidate: big(3_000, 0) });
    expect(ex.legacy.body!.data.length).toBeGreaterThan(CAP / 2);
    await store.record(ex, { class: 'match', differences: [], noise: [], suspectedNoise: [] }, { fieldPaths: [], noisePaths: [] });
    expect((await redis.get(store.keys.exchange('shared')))!.length).toBeLessThanOrEqual(CAP);
    expect(await store.exchanges(['shared'])).toEqual([ex]);
  });

  it('leaves out only what the cap needs, measuring a shared body once', () => {
    // shared bodies ~150 KB (stored once: twice would be over the cap alone), a translated body ~160 KB: leaving it out is enough
    const ex = fakeExchange({ id: 'fit', route: 'r', at: 2600, legacy: big(3_000, 0), candidate: big(3_000, 0) });
    const translated = { status: 200, headers: {}, body: big(3_500, 1) };
    const result: ComparisonResult = { class: 'mismatch', risk: 'low', signature: 's', differences: [], noise: [], suspectedNoise: [] };
    const fitted = fitRecord(ex, result, translated, CAP);
    expect(fitted.exchange.storedWithout).toEqual(['translatedCandidate.body']);
    expect(fitted.exchange.legacy.body).toEqual(ex.legacy.body);
    expect(fitted.exchange.candidate!.body).toEqual(ex.candidate!.body);
  });

  it('stores a record under the cap as it is', async () => {
    const ex = fakeExchange({ id: 'small', route: 'r', at: 3000 });
    await store.record(ex, { class: 'match', differences: [], noise: [], suspectedNoise: [] }, { fieldPaths: [], noisePaths: [] });
    expect(JSON.parse((await redis.get(store.keys.exchange('small')))!)).toEqual(ex);
  });
});
