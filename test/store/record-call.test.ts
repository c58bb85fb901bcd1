import { keySchema } from '../../src/store';
import { ownPayload } from '../../src/store/own-payload';
import { packScriptArgs, RecordKeyCache, recordKeys, recordPrefixes, STAGED_OWN } from '../../src/store/record-keys';
import { pathPrefixes } from '../../src/compare';

describe('idKeys', () => {
  it.each(['deployment', 'route'] as const)('gives what done, exchange, mismatch and stagedExchange give (%s tagging)', (tagging) => {
    const k = keySchema({ prefix: 'tandem', tagging });
    for (const id of ['lx3k-1', 'a:b{c}', 'x'.repeat(150), '', 'é|*?']) {
      expect(k.idKeys(id)).toEqual([k.done(id), k.exchange(id), k.mismatch(id), k.stagedExchange(id)]);
    }
  });
});

describe('packScriptArgs', () => {
  // The record script's pack loop (RECORD_RESULT_LUA), in JavaScript: each exchange's KEYS from its index list.
  const SHARED_AT = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 25];
  const OWN_AT = [1, 23, 24, 26];
  const keysOf = (keys: string[], list: string): string[] => {
    const [shared, own] = list.split(';');
    const out: string[] = [];
    shared.split(',').forEach((x, j) => (out[SHARED_AT[j] - 1] = keys[Number(x) - 1]));
    own.split(',').forEach((x, j) => (out[(OWN_AT[j] ?? 22 + j + 1) - 1] = keys[Number(x) - 1]));
    return out;
  };

  it.each(['deployment', 'route'] as const)('gives each exchange the keys recordKeys gives (%s tagging)', (tagging) => {
    const k = keySchema({ prefix: 'tandem', tagging });
    const cache = new RecordKeyCache(k);
    const hour = 3_600_000;
    const records = [
      { id: 'a1', route: 'product', class: 'match', signature: '', risk: '', at: 5 * hour, causes: [] },
      { id: 'a2', route: 'product', class: 'mismatch', signature: 'price', risk: 'high', at: 5 * hour, causes: ['c1', 'c2'] },
      { id: 'a3', route: 'product', class: 'match', signature: '', risk: '', at: 5 * hour + 1, causes: [] },
      { id: 'a4', route: 'product', class: 'match', signature: '', risk: '', at: 6 * hour, causes: [] },
      { id: 'a2', route: 'product', class: 'mismatch', signature: 'price', risk: 'high', at: 5 * hour, causes: ['c2'] },
    ];
    const calls = records.map((r) => ({ ...cache.parts(r, r.causes), payload: '{}', exchangeJson: '', mismatchTail: '' }));
    const { keys, argv } = packScriptArgs(recordPrefixes(k, 'product'), '{}', calls);
    expect(new Set(keys).size).toBe(keys.length);
    expect(argv[5]).toBe(String(records.length));
    records.forEach((r, i) => {
      expect(keysOf(keys, argv[7 + 4 * i])).toEqual(recordKeys(k, r, r.causes));
      expect(calls[i].own[STAGED_OWN]).toBe(k.stagedExchange(r.id));
    });
  });
});

describe('ownPayload', () => {
  // How the store wrote an exchange's payload before: the whole payload, then every field that differs from the pack's.
  const defaults: Record<string, unknown> = {
    fields: [],
    noise: [],
    fieldTotals: [],
    noiseTotals: [],
    repeatFields: [],
    suspected: [],
    signature: '',
    risk: '',
    contentHash: '',
    overBudget: false,
    sampledOut: false,
    repeated: false,
  };
  const everyPrefix = (paths: string[]) => [...new Set(paths.flatMap((p) => pathPrefixes(p).map((x) => x.prefix)))];
  const reference = (f: Parameters<typeof ownPayload>[0]) => {
    const payload: Record<string, unknown> = {
      class: f.class,
      customer: f.customer,
      customerSeg: f.customerSeg,
      at: f.at,
      id: f.id,
      fields: f.fields,
      noise: f.noise,
      fieldTotals: everyPrefix(f.fields),
      noiseTotals: everyPrefix(f.noise),
      signature: f.signature,
      risk: f.risk,
      overBudget: f.overBudget,
      sampledOut: f.sampledOut,
      repeated: f.repeatPaths !== undefined,
      repeatFields: f.repeatPaths ?? [],
      suspected: f.suspected ?? [],
      contentHash: f.contentHash,
      ...(f.causes ? { causes: f.causes } : {}),
    };
    const own: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(payload)) {
      const d = defaults[key];
      if (d === v || (Array.isArray(d) && Array.isArray(v) && d.length === 0 && v.length === 0)) continue;
      own[key] = v;
    }
    return JSON.stringify(own);
  };
  const match = {
    class: 'match',
    customer: 'acme',
    customerSeg: 'acme',
    at: 1_700_000_000_000,
    id: 'lx3k-1',
    fields: [],
    noise: [],
    signature: '',
    risk: '',
    overBudget: false,
    sampledOut: false,
    repeatPaths: undefined,
    suspected: undefined,
    contentHash: '',
    causes: undefined,
  };

  it.each([
    ['a match', match],
    ['a sampled-out match over the budget', { ...match, sampledOut: true, overBudget: true }],
    ['a match with noise and a repeat', { ...match, noise: ['updatedAt', 'items[*].ts'], repeatPaths: [], suspected: ['id'] }],
    ['a repeat that differed', { ...match, repeatPaths: ['a.b'] }],
    [
      'a mismatch',
      {
        ...match,
        class: 'mismatch',
        customer: 'a:b',
        customerSeg: 'a%3Ab',
        fields: ['price', 'items[*].qty', 'name'],
        signature: 'price|name',
        risk: 'high',
        contentHash: 'abc',
        causes: [{ key: 'k', json: '{}', example: '{"path":"price"}' }],
      },
    ],
  ])('writes what the whole payload less the pack fields gave (%s)', (_, f) => {
    expect(ownPayload(f)).toBe(reference(f));
  });
});
