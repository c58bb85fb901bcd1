import type { ComparisonResult, ExchangeRecord } from '../../src/records';
import { ResultsStore, type RedisClient } from '../../src/store';
import { fitRecord } from '../../src/store/record-cap';
import { fakeExchange } from '../report/seed';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';

/**
 * The record cap and shared bodies (#20). A body stored as a reference costs ~20
 * chars, so leaving out its source frees nothing: the reference turns back into full
 * text. `fitRecord` walked the bodies largest first by their resolved length, the
 * source (listed first) before its referrers. With a legacy repeat of the same length as
 * legacy's text but another text (a repeat whose volatile value changed: what noise
 * learning stores), it left out legacy's body (saving nothing), then the candidate's,
 * and kept the repeat: the two bodies the report's views are about were lost where
 * leaving out the repeat alone frees the same bytes. Now a body and the bodies referring to it leave together.
 */
describe('the record cap and a shared body', () => {
  const CAP = 256 * 1024;
  const big = (n: number, v: number) => ({ items: Array.from({ length: n }, (_, i) => ({ i, v: v + i, note: 'x'.repeat(20) })) });
  const match: ComparisonResult = { class: 'match', differences: [], noise: [], suspectedNoise: [] };

  /** A match: legacy's text ~150 KB, the candidate's the same (stored once), a legacy repeat as long but another text. */
  function withRepeat(id: string): ExchangeRecord {
    const ex = fakeExchange({ id, route: 'r', at: 3, legacy: big(3_000, 0), candidate: big(3_000, 0) });
    const repeat = structuredClone(ex.legacy);
    repeat.body!.data = repeat.body!.data.replace('"v":0', '"v":9');
    ex.legacyRepeat = repeat;
    return ex;
  }

  it('the case: over the cap as stored, under it without the repeat alone', () => {
    const ex = withRepeat('rep0');
    const l = ex.legacy.body!.data;
    expect(ex.legacyRepeat!.body!.data.length).toBe(l.length);
    expect(ex.legacyRepeat!.body!.data).not.toBe(l);
    expect(2 * l.length).toBeGreaterThan(CAP);
    expect(l.length + 4000).toBeLessThan(CAP);
  });

  it('fitRecord leaves out the repeat, not legacy and the candidate', () => {
    const ex = withRepeat('rep1');
    const fitted = fitRecord(ex, match, undefined, CAP);
    expect(fitted.exchange.storedWithout).toEqual(['legacyRepeat.body']);
    expect(fitted.exchange.legacy.body).toEqual(ex.legacy.body);
    expect(fitted.exchange.candidate!.body).toEqual(ex.candidate!.body);
  });

  describe('through the store (real Redis)', () => {
    const prefix = uniquePrefix('capshared');
    let redis: RedisClient;
    let store: ResultsStore;
    beforeAll(() => {
      redis = openTestRedis();
      store = new ResultsStore(redis, prefix, { mismatchesPerRoute: 10, exchangesPerRoute: 10, ttlSeconds: 600, maxRecordBytes: CAP });
    });
    afterAll(async () => {
      await redis.quit();
      await deletePrefix(prefix);
    });

    it('a stored match keeps legacy and the candidate (one text) and leaves out the repeat', async () => {
      const ex = withRepeat('rep2');
      await store.record(ex, match, { fieldPaths: [], noisePaths: [] });
      const [got] = await store.exchanges(['rep2']);
      expect(got!.storedWithout).toEqual(['legacyRepeat.body']);
      expect(got!.legacy.body).toEqual(ex.legacy.body);
      expect(got!.candidate!.body).toEqual(ex.candidate!.body);
    });
  });
});
