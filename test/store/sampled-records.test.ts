import * as exchangeJson from '../../src/store/exchange-json';
import { packScriptArgs, recordPrefixes, STAGE_FROM_CHARS, type RecordCall } from '../../src/store/record-keys';
import { RecordCalls } from '../../src/store/record-call';
import type { RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { keysUnder, useTestStore } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

// Issue #20: an exchange the worker's sampler gave no token (RecordItem.sampledOut) is
// recorded in full except its raw exchange record: not written, in no exchange index,
// counted as not_stored:sampled. Its mismatch record (and signature) stay.
describe('record: sampled-out exchanges', () => {
  const t = useTestStore('sampled');

  const item = async (id: string, route: string, candidatePrice: number, sampledOut: boolean, pad = 0): Promise<RecordItem> => {
    const body = { id, price: 10, ...(pad ? { pad: 'x'.repeat(pad) } : {}) }; // distinct pairs: no dedupe
    const ex = { ...exchange(id, body, { ...body, price: candidatePrice }, { route }), customer: 'c1' };
    const out = await processExchange(ex, processDeps());
    return { exchange: ex, result: out.result, extra: out, ...(sampledOut ? { sampledOut: true } : {}) };
  };
  const id = (route: string, x: string) => t.store.keys.recordId(route, x);
  const has = (key: string) => t.redis.exists(key);
  const members = (key: string) => t.redis.zrange(key, 0, -1);

  it('counts them in full but writes and indexes no exchange record', async () => {
    const r = 'sampled';
    const items = [
      await item('in-match', r, 10, false),
      await item('out-match', r, 10, true),
      await item('in-mismatch', r, 12, false),
      await item('out-mismatch', r, 12, true),
    ];
    const settled = await t.store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const counters = (await t.store.counters([r]))[r];
    expect(counters).toMatchObject({ compared: 4, match: 2, mismatch: 2, 'not_stored:sampled': 2 });
    expect(await has(t.store.keys.exchange(id(r, 'in-match')))).toBe(1);
    expect(await has(t.store.keys.exchange(id(r, 'in-mismatch')))).toBe(1);
    expect(await has(t.store.keys.exchange(id(r, 'out-match')))).toBe(0);
    expect(await has(t.store.keys.exchange(id(r, 'out-mismatch')))).toBe(0);
    // every exchange index holds the stored ones only
    const stored = [id(r, 'in-match'), id(r, 'in-mismatch')].sort();
    expect((await members(t.store.keys.exchanges(r))).sort()).toEqual(stored);
    expect(await members(t.store.keys.exchangesByClass(r, 'match'))).toEqual([id(r, 'in-match')]);
    expect(await members(t.store.keys.exchangesByClass(r, 'mismatch'))).toEqual([id(r, 'in-mismatch')]);
    expect((await members(t.store.keys.exchangesByCustomer(r, 'c1'))).sort()).toEqual(stored);
    // the sampled-out mismatch keeps its mismatch record, signature and indexes
    const m = await t.store.mismatch(id(r, 'out-mismatch'));
    expect(m?.exchange.id).toBe(id(r, 'out-mismatch'));
    expect(m?.result.class).toBe('mismatch');
    const [sig] = await t.store.signatures(r);
    expect(sig.count).toBe(2);
    expect((await members(t.store.keys.mismatchesBySignature(r, sig.signature))).sort()).toEqual(
      [id(r, 'in-mismatch'), id(r, 'out-mismatch')].sort(),
    );
    // replay reads it from its mismatch record; a sampled-out match is not stored
    expect((await t.store.storedExchange(id(r, 'out-mismatch')))?.exchange.id).toBe(id(r, 'out-mismatch'));
    expect(await t.store.storedExchange(id(r, 'out-match'))).toBeNull();
    // a retried pack counts nothing twice
    await t.store.recordPack(items);
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 4, 'not_stored:sampled': 2 });
  });

  it('never builds the stored JSON of a sampled-out match', async () => {
    const spy = jest.spyOn(exchangeJson, 'storedExchangeJson');
    try {
      await t.store.recordPack([await item('json-out', 'json', 10, true)]);
      expect(spy).not.toHaveBeenCalled();
      await t.store.recordPack([await item('json-in', 'json', 10, false)]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await t.store.counters(['json']))['json']).toMatchObject({ compared: 2, match: 2, 'not_stored:sampled': 1 });
  });

  it('a long sampled-out mismatch keeps its mismatch record and leaves no staged key; a long stored one is staged as before', async () => {
    const r = 'long';
    const pad = STAGE_FROM_CHARS * 2;
    await t.store.recordPack([await item('long-out', r, 12, true, pad), await item('long-in', r, 12, false, pad)]);
    const out = await t.store.mismatch(id(r, 'long-out'));
    expect(out?.exchange.id).toBe(id(r, 'long-out'));
    expect(JSON.stringify(out?.exchange).length).toBeGreaterThan(pad);
    expect(await has(t.store.keys.exchange(id(r, 'long-out')))).toBe(0);
    expect(await has(t.store.keys.exchange(id(r, 'long-in')))).toBe(1);
    expect((await keysUnder(t.prefix)).filter((k) => k.includes('staged'))).toEqual([]);
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 2, mismatch: 2, 'not_stored:sampled': 1 });
  });

  it('rediff ignores the flag (it writes no exchange record and counts nothing as sampled)', async () => {
    const r = 'rediffed';
    const it1 = await item('rd', r, 10, false);
    await t.store.recordPack([it1]);
    await t.store.recordPack([{ ...it1, sampledOut: true }], { rediff: true });
    expect(await has(t.store.keys.exchange(id(r, 'rd')))).toBe(1);
    expect(await members(t.store.keys.exchangesByClass(r, 'match'))).toEqual([id(r, 'rd')]);
    expect((await t.store.counters([r]))[r]['not_stored:sampled']).toBeUndefined();
  });

  it("sends a sampled-out match's call without its exchange and mismatch keys, which it never uses", async () => {
    const r = 'sampled-keys';
    const k = t.store.keys;
    const calls = new RecordCalls(k, RETENTION, null);
    const made = [
      await item('keys-out-match', r, 10, true),
      await item('keys-in-match', r, 10, false),
      await item('keys-out-mismatch', r, 12, true),
    ].map((x) => calls.call(x, {}) as RecordCall);
    const { keys } = packScriptArgs(recordPrefixes(k, r), '{}', made);
    expect(keys).not.toContain(k.exchange(id(r, 'keys-out-match')));
    expect(keys).not.toContain(k.mismatch(id(r, 'keys-out-match')));
    // its done marker and staged key (a leftover of an earlier try is dropped) are sent; the others' records are
    expect(keys).toEqual(expect.arrayContaining([k.done(id(r, 'keys-out-match')), k.stagedExchange(id(r, 'keys-out-match'))]));
    expect(keys).toEqual(expect.arrayContaining([k.exchange(id(r, 'keys-in-match')), k.mismatch(id(r, 'keys-in-match'))]));
    expect(keys).toEqual(expect.arrayContaining([k.exchange(id(r, 'keys-out-mismatch')), k.mismatch(id(r, 'keys-out-mismatch'))]));
    // and the script records it as before: counted once, nothing stored, a pack sent again counts nothing twice
    const items = [await item('keys-out-match', r, 10, true), await item('keys-out-match-2', r, 10, true)];
    for (let i = 0; i < 2; i++) await t.store.recordPack(items);
    expect((await t.store.counters([r]))[r]).toMatchObject({ compared: 2, match: 2, 'not_stored:sampled': 2 });
    expect(await has(k.exchange(id(r, 'keys-out-match')))).toBe(0);
    expect(await has(k.done(id(r, 'keys-out-match')))).toBe(1);
  });
});

// Review (review-sample) of issue #20. A worker's first try of a pack stages a
// long exchange record (`staged:exchange:<id>`, written just before the record script) and
// dies (or loses its connection) before the script runs: the job comes back, and the retry's
// sampler decides afresh. A sampled-in retry re-stages and COPY+DELs the key as before; a
// sampled-out retry must not leave that staged key behind for `retention.ttlSeconds`
// (a record-sized key nothing reads, outside every index and the memory budget's estimate).
describe('record: a sampled-out retry of a staged exchange', () => {
  // stage every record (as records >= STAGE_FROM_CHARS are): the path under review, with small bodies
  const t = useTestStore('sampled-staged', {}, { stageFromChars: 0 });

  const item = async (id: string, route: string, candidatePrice: number, sampledOut: boolean): Promise<RecordItem> => {
    const body = { id, price: 10 };
    const ex = exchange(id, body, { ...body, price: candidatePrice }, { route });
    const out = await processExchange(ex, processDeps());
    return { exchange: ex, result: out.result, extra: out, ...(sampledOut ? { sampledOut: true } : {}) };
  };
  /** What the first (sampled-in) try wrote before it died: the staged record, with the record's TTL. */
  const firstTryStaged = async (route: string, id: string) => {
    const key = t.store.keys.stagedExchange(t.store.keys.recordId(route, id));
    await t.redis.set(
      key,
      JSON.stringify({ id: t.store.keys.recordId(route, id), staged: 'by the first try' }),
      'EX',
      RETENTION.ttlSeconds,
    );
    return key;
  };

  it.each([
    ['match', 10],
    ['mismatch', 12],
  ])('a sampled-out %s leaves no staged key, whatever an earlier try staged', async (cls, price) => {
    const route = `leftover-${cls}`;
    const id = `x-${cls}`; // exchange ids (and their done markers) are the deployment's: one per case
    const staged = await firstTryStaged(route, id);
    const [settled] = await t.store.recordPack([await item(id, route, price, true)]);
    expect(settled.status === 'fulfilled' && settled.value).not.toBe('duplicate');
    expect((await t.store.counters([route]))[route]).toMatchObject({ compared: 1, [cls]: 1, 'not_stored:sampled': 1 });
    // not stored, as sampled out...
    expect(await t.redis.exists(t.store.keys.exchange(t.store.keys.recordId(route, id)))).toBe(0);
    // ...and nothing staged is left for the TTL (a sampled-in retry COPYs and deletes it)
    expect(await t.redis.exists(staged)).toBe(0);
    expect((await keysUnder(t.prefix)).filter((k) => k.startsWith(t.prefix) && k.includes('staged'))).toEqual([]);
  });

  it('the same first try followed by a sampled-in retry leaves nothing staged (as before sampling)', async () => {
    const route = 'leftover-in';
    const staged = await firstTryStaged(route, 'x2');
    await t.store.recordPack([await item('x2', route, 10, false)]);
    expect(await t.redis.exists(staged)).toBe(0);
    expect(await t.redis.exists(t.store.keys.exchange(t.store.keys.recordId(route, 'x2')))).toBe(1);
  });
});
