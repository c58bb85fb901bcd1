import * as exchangeJson from '../../src/store/exchange-json';
import { STAGE_FROM_CHARS } from '../../src/store/record-result-script';
import { ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';
import type { RedisClient } from '../../src/store';

// Issue #20: an exchange the worker's sampler gave no token (RecordItem.sampledOut) is
// recorded in full except its raw exchange record: not written, in no exchange index,
// counted as not_stored:sampled. Its mismatch record (and signature) stay.
describe('record: sampled-out exchanges', () => {
  const prefix = uniquePrefix('sampled');
  let redis: RedisClient;
  let store: ResultsStore;
  beforeAll(() => {
    redis = openTestRedis();
    store = new ResultsStore(redis, prefix, RETENTION);
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  const item = async (id: string, route: string, candidatePrice: number, sampledOut: boolean, pad = 0): Promise<RecordItem> => {
    const body = { id, price: 10, ...(pad ? { pad: 'x'.repeat(pad) } : {}) }; // distinct pairs: no dedupe
    const ex = { ...exchange(id, body, { ...body, price: candidatePrice }, { route }), customer: 'c1' };
    const out = await processExchange(ex, processDeps());
    return { exchange: ex, result: out.result, extra: out, ...(sampledOut ? { sampledOut: true } : {}) };
  };
  const id = (route: string, x: string) => store.keys.recordId(route, x);
  const has = (key: string) => redis.exists(key);
  const members = (key: string) => redis.zrange(key, 0, -1);

  it('counts them in full but writes and indexes no exchange record', async () => {
    const r = 'sampled';
    const items = [
      await item('in-match', r, 10, false),
      await item('out-match', r, 10, true),
      await item('in-mismatch', r, 12, false),
      await item('out-mismatch', r, 12, true),
    ];
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const counters = (await store.counters([r]))[r];
    expect(counters).toMatchObject({ compared: 4, match: 2, mismatch: 2, 'not_stored:sampled': 2 });
    expect(await has(store.keys.exchange(id(r, 'in-match')))).toBe(1);
    expect(await has(store.keys.exchange(id(r, 'in-mismatch')))).toBe(1);
    expect(await has(store.keys.exchange(id(r, 'out-match')))).toBe(0);
    expect(await has(store.keys.exchange(id(r, 'out-mismatch')))).toBe(0);
    // every exchange index holds the stored ones only
    const stored = [id(r, 'in-match'), id(r, 'in-mismatch')].sort();
    expect((await members(store.keys.exchanges(r))).sort()).toEqual(stored);
    expect(await members(store.keys.exchangesByClass(r, 'match'))).toEqual([id(r, 'in-match')]);
    expect(await members(store.keys.exchangesByClass(r, 'mismatch'))).toEqual([id(r, 'in-mismatch')]);
    expect((await members(store.keys.exchangesByCustomer(r, 'c1'))).sort()).toEqual(stored);
    // the sampled-out mismatch keeps its mismatch record, signature and indexes
    const m = await store.mismatch(id(r, 'out-mismatch'));
    expect(m?.exchange.id).toBe(id(r, 'out-mismatch'));
    expect(m?.result.class).toBe('mismatch');
    const [sig] = await store.signatures(r);
    expect(sig.count).toBe(2);
    expect((await members(store.keys.mismatchesBySignature(r, sig.signature))).sort()).toEqual(
      [id(r, 'in-mismatch'), id(r, 'out-mismatch')].sort(),
    );
    // replay reads it from its mismatch record; a sampled-out match is not stored
    expect((await store.storedExchange(id(r, 'out-mismatch')))?.exchange.id).toBe(id(r, 'out-mismatch'));
    expect(await store.storedExchange(id(r, 'out-match'))).toBeNull();
    // a retried pack counts nothing twice
    await store.recordPack(items);
    expect((await store.counters([r]))[r]).toMatchObject({ compared: 4, 'not_stored:sampled': 2 });
  });

  it('never builds the stored JSON of a sampled-out match', async () => {
    const spy = jest.spyOn(exchangeJson, 'storedExchangeJson');
    try {
      await store.recordPack([await item('json-out', 'json', 10, true)]);
      expect(spy).not.toHaveBeenCalled();
      await store.recordPack([await item('json-in', 'json', 10, false)]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await store.counters(['json']))['json']).toMatchObject({ compared: 2, match: 2, 'not_stored:sampled': 1 });
  });

  it('a long sampled-out mismatch keeps its mismatch record and leaves no staged key; a long stored one is staged as before', async () => {
    const r = 'long';
    const pad = STAGE_FROM_CHARS * 2;
    await store.recordPack([await item('long-out', r, 12, true, pad), await item('long-in', r, 12, false, pad)]);
    const out = await store.mismatch(id(r, 'long-out'));
    expect(out?.exchange.id).toBe(id(r, 'long-out'));
    expect(JSON.stringify(out?.exchange).length).toBeGreaterThan(pad);
    expect(await has(store.keys.exchange(id(r, 'long-out')))).toBe(0);
    expect(await has(store.keys.exchange(id(r, 'long-in')))).toBe(1);
    expect((await keysUnder(prefix)).filter((k) => k.includes('staged'))).toEqual([]);
    expect((await store.counters([r]))[r]).toMatchObject({ compared: 2, mismatch: 2, 'not_stored:sampled': 1 });
  });

  it('rediff ignores the flag (it writes no exchange record and counts nothing as sampled)', async () => {
    const r = 'rediffed';
    const it1 = await item('rd', r, 10, false);
    await store.recordPack([it1]);
    await store.recordPack([{ ...it1, sampledOut: true }], { rediff: true });
    expect(await has(store.keys.exchange(id(r, 'rd')))).toBe(1);
    expect(await members(store.keys.exchangesByClass(r, 'match'))).toEqual([id(r, 'rd')]);
    expect((await store.counters([r]))[r]['not_stored:sampled']).toBeUndefined();
  });
});
