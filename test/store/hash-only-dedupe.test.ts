import * as exchangeJson from '../../src/store/exchange-json';
import { ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { useTestStore } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

// Issue #20: a sampled-out mismatch whose identical pair the script said stored is sent by its
// content hash alone (no exchange or mismatch JSON built or sent); when that pair is gone
// (evicted, expired, trimmed), the script writes nothing of it and the store sends it again in
// full, so the mismatch keeps a stored sample and every exchange is counted once.
describe('record: likely duplicates sent by their content hash', () => {
  const t = useTestStore('hash-only');

  /** A mismatch of `route` (price 10 against `candidatePrice`: one price, one pair), sampled out unless `sampledIn`. */
  const item = async (id: string, route: string, candidatePrice = 11, sampledIn = false): Promise<RecordItem> => {
    // ids unique to the route: a done marker names the exchange id alone
    const ex = { ...exchange(`${route}-${id}`, { price: 10 }, { price: candidatePrice }, { route }), at: Date.now() };
    const out = await processExchange(ex, processDeps());
    return { exchange: ex, result: out.result, extra: out, ...(sampledIn ? {} : { sampledOut: true }) };
  };
  const id = (route: string, x: string) => t.store.keys.recordId(route, `${route}-${x}`);
  const outcomes = async (items: RecordItem[]) =>
    (await t.store.recordPack(items)).map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason)));
  const duplicatesOf = async (route: string, x: string) => (await t.store.mismatch(id(route, x)))?.duplicates;

  it('builds no exchange JSON for a sampled-out mismatch whose identical pair is stored, and counts it as its duplicate', async () => {
    const r = 'dup';
    expect(await outcomes([await item('a1', r)])).toEqual(['new-signature']);
    const spy = jest.spyOn(exchangeJson, 'storedExchangeJson');
    try {
      expect(await outcomes([await item('a2', r), await item('a3', r)])).toEqual(['recorded', 'recorded']);
      expect(await outcomes([await item('a4', r)])).toEqual(['recorded']);
      expect(spy).not.toHaveBeenCalled();
      // a different pair is stored in full
      expect(await outcomes([await item('b1', r, 12)])).toEqual(['recorded']);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 5, mismatch: 5, 'not_stored:sampled': 5 });
    expect(await duplicatesOf(r, 'a1')).toBe(3);
    expect(await t.store.mismatch(id(r, 'a2'))).toBeNull();
    const { total } = await t.store.mismatchIds(r, 0, 10);
    expect(total).toBe(2);
    const [sig] = await t.store.signatures(r);
    expect(sig).toMatchObject({ count: 5, sample: id(r, 'b1'), samples: [id(r, 'b1'), id(r, 'a1')] });
  });

  it('stores the mismatch in full when its stored pair is gone, keeps the pack in order and counts each once', async () => {
    const r = 'gone';
    await outcomes([await item('a1', r)]);
    expect(await outcomes([await item('a2', r)])).toEqual(['recorded']); // by its hash: the store now expects a1 stored
    // the stored sample is evicted (or expired, or trimmed)
    await t.redis.del(t.store.keys.mismatch(id(r, 'a1')));
    const pack = [await item('m1', r, 13, true), await item('a3', r), await item('a4', r), await item('b1', r, 12)];
    expect(await outcomes(pack)).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);
    // a3 stored in full (its exchange, as sent), a4 its duplicate
    const a3 = await t.store.mismatch(id(r, 'a3'));
    expect(a3?.exchange.id).toBe(id(r, 'a3'));
    expect(a3?.exchange.legacy.body).toEqual(pack[1].exchange.legacy.body);
    expect(a3?.duplicates).toBe(1);
    expect(await t.store.mismatch(id(r, 'a4'))).toBeNull();
    // m1, sampled in, before them: its records as ever
    expect(await t.redis.exists(t.store.keys.exchange(id(r, 'm1')))).toBe(1);
    expect(await t.store.mismatch(id(r, 'm1'))).not.toBeNull();
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 6, mismatch: 6, 'not_stored:sampled': 5 });
    // the pack's order: b1 is the signature's latest sample, as it was the last
    const [sig] = await t.store.signatures(r);
    expect(sig).toMatchObject({ count: 6, sample: id(r, 'b1') });
    // sent again (a worker killed before its reply): nothing counted twice
    expect(await outcomes(pack)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 6, mismatch: 6 });
  });

  it('a pack sent again after part of it was counted counts each exchange once', async () => {
    const r = 'retry';
    await outcomes([await item('a1', r)]);
    await outcomes([await item('a2', r)]);
    await t.redis.del(t.store.keys.mismatch(id(r, 'a1')));
    // a worker that recorded the first exchange and died before sending the others in full
    const pack = [await item('x1', r, 13), await item('a3', r), await item('a4', r)];
    expect(await outcomes(pack.slice(0, 1))).toEqual(['recorded']);
    // the job comes back: x1 is found recorded, a3 sent by its hash is asked for again, then stored
    expect(await outcomes(pack)).toEqual(['duplicate', 'recorded', 'recorded']);
    // and to a fresh worker (no hashes known), all of it is recorded
    const fresh = new ResultsStore(t.redis, { prefix: t.prefix }, RETENTION);
    const settled = await fresh.recordPack(pack);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 5, mismatch: 5 });
    expect(await duplicatesOf(r, 'a3')).toBe(1);
  });

  it('keeps sending in full while the pair cannot stay stored (mismatch cap 0: trimmed at once)', async () => {
    const store = new ResultsStore(t.redis, { prefix: `${t.prefix}:cap0` }, { ...RETENTION, mismatchesPerRoute: 0 });
    const r = 'cap0';
    const spy = jest.spyOn(exchangeJson, 'storedExchangeJson');
    try {
      for (const x of ['a1', 'a2', 'a3']) {
        const [s] = await store.recordPack([await item(x, r)]);
        expect(s.status).toBe('fulfilled');
      }
      // one JSON each, never a second call's
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
    expect((await store.counters([r]))[r]).toMatchObject({ compared: 3, mismatch: 3 });
  });
});
