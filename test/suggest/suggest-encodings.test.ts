import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deepEqual } from '../../src/compare';
import { encodeBody, parseJsonExact, parseQuery, type ExchangeRecord, type RequestRecord, type ResponseRecord } from '../../src/records';
import { suggestTranslator } from '../../src/suggest';
import { loadTranslatorModules, toTranslatableRequest, translateRequest, translateResponse } from '../../src/translate';
import { tempDir } from '../support/processes';

/**
 * `tandem suggest` on generated traffic (seeded): fields moved into and out of nested
 * objects, pagination re-encoded (page/limit → offset/limit) and sort re-encoded
 * (sort + order → signed sort). Each rule comes with its n of m evidence and
 * counterexamples, and the draft, loaded as a translator, turns every agreeing
 * candidate request and answer into legacy's.
 */
const KIT = join(__dirname, '../../dist/src/index.js');

/** A small seeded generator (mulberry32): the same traffic every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const json = (status: number, body: unknown): ResponseRecord => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: encodeBody(Buffer.from(JSON.stringify(body))),
  durationMs: 1,
});
const request = (path: string, rawQuery: string): RequestRecord => ({
  method: 'GET',
  path,
  query: parseQuery(rawQuery),
  rawQuery,
  headers: { host: 'shop.example' },
  body: null,
});

interface Generated {
  exchanges: ExchangeRecord[];
  /** Exchanges whose candidate request was not the legacy request re-encoded (planted counterexamples). */
  off: Set<string>;
}

function generate(n: number, seed: number): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const off = new Set<string>();
  const exchanges = Array.from({ length: n }, (_, i): ExchangeRecord => {
    const page = 1 + Math.floor(r() * 5);
    const limit = pick([5, 10, 20]);
    const field = pick(['price', 'name', 'id']);
    const order = pick(['asc', 'desc']);
    const sorted = r() < 0.8;
    const legacyQuery = `?page=${page}&limit=${limit}${sorted ? `&sort=${field}&order=${order}` : ''}&q=mug%20big`;
    // Two planted counterexamples: the candidate was sent another page.
    const offset = (page - 1) * limit + (i === 3 || i === 11 ? 1 : 0);
    if (i === 3 || i === 11) off.add(`gen-${i}`);
    const candidateQuery = `?offset=${offset}&limit=${limit}${sorted ? `&sort=${order === 'desc' ? '-' : ''}${field}` : ''}&q=mug%20big`;
    const items = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => {
      const id = i * 10 + k;
      const price = Math.round(r() * 10000) / 100;
      const [width, height] = [1 + Math.floor(r() * 90), 1 + Math.floor(r() * 90)];
      const vendor = pick(['Acme', 'Globex', 'Initech', 'Umbrella']);
      const author = pick(['ada', 'grace', 'alan', 'edsger', 'barbara']);
      return {
        legacy: { id, name: `Mug ${id}`, price, width, height, vendorName: vendor, meta: { createdBy: author } },
        candidate: {
          id,
          name: `Mug ${id}`,
          pricing: { amount: price, currency: 'EUR' },
          size: { width, height },
          vendor: { name: vendor },
          createdBy: author,
        },
      };
    });
    const legacyRequest = request('/api/v1/products', legacyQuery);
    return {
      id: `gen-${i}`,
      route: 'list',
      customer: 'anonymous',
      at: i,
      requestId: `r${i}`,
      params: {},
      request: legacyRequest,
      candidateRequest: request('/v2/products', candidateQuery),
      legacy: json(
        200,
        items.map((x) => x.legacy),
      ),
      candidate: json(
        200,
        items.map((x) => x.candidate),
      ),
    };
  });
  return { exchanges, off };
}

describe('suggest on generated traffic: nested moves, pagination and sort encodings', () => {
  const tmp = tempDir('suggest-gen');
  afterAll(() => tmp.remove());
  const { exchanges, off } = generate(40, 20261129);
  const s = suggestTranslator(exchanges, { route: 'list', importFrom: KIT });
  const rule = (kind: string) => s.rules.filter((r) => r.kind === kind);

  it('finds fields moved out of and into nested objects, with n of m evidence', () => {
    const records = exchanges.reduce(
      (n, e) => n + (JSON.parse(Buffer.from(e.legacy.body!.data, 'utf8').toString()) as unknown[]).length,
      0,
    );
    expect(
      rule('move')
        .map((r) => `${r.text} (${r.support}/${r.of})`)
        .sort(),
    ).toEqual([
      `candidate createdBy is legacy meta.createdBy (moved into meta) (${records}/${records})`,
      `candidate pricing.amount is legacy price (moved out of pricing) (${records}/${records})`,
      `candidate size.height is legacy height (moved out of size) (${records}/${records})`,
      `candidate size.width is legacy width (moved out of size) (${records}/${records})`,
      `candidate vendor.name is legacy vendorName (moved out of vendor) (${records}/${records})`,
    ]);
    // Explained by the moves: no "only legacy has" for the moved fields; the emptied or leftover containers are dropped.
    expect(rule('missing')).toEqual([]);
    expect(
      rule('drop')
        .map((r) => r.data.name)
        .sort(),
    ).toEqual(['pricing', 'size', 'vendor']);
  });

  it('finds pagination and sort re-encoded, with the planted counterexamples named', () => {
    const [paging] = rule('paging');
    expect(paging.text).toBe('pagination page/limit → offset/limit');
    expect([paging.support, paging.of]).toEqual([38, 40]);
    expect(paging.counterexamples.map((c) => c.split(':')[0]).sort()).toEqual([...off].sort());
    const [sort] = rule('sort');
    const sortedPairs = exchanges.filter((e) => e.request.query.sort !== undefined).length;
    expect(sort.text).toBe('sort sort + order → signed sort (-field)');
    expect([sort.support, sort.of]).toEqual([sortedPairs, sortedPairs]);
    // Neither is mistaken for a renamed or dropped parameter; q is untouched.
    expect(s.rules.filter((r) => r.kind === 'query_rename' || r.kind === 'query_drop')).toEqual([]);
    expect(s.draft).toContain(
      'convertPaging({"style":"page","page":"page","size":"limit"}, {"style":"offset","offset":"offset","size":"limit"})',
    );
    expect(s.draft).toContain("combineSort({ field: 'sort', order: 'order', into: 'sort' })");
  });

  it("the draft, loaded as a translator, turns each agreeing pair into legacy's request and answer", async () => {
    const file = join(tmp.path, 'list-suggested.ts');
    writeFileSync(file, s.draft.replace("name: 'list-suggested',", "name: 'list-suggested',\n  timeoutMs: 10000,"));
    const [t] = loadTranslatorModules([file]);
    let checked = 0;
    for (const ex of exchanges) {
      if (off.has(ex.id)) continue;
      const sent = await translateRequest(t, ex.request);
      // The same parameters as the candidate got (order aside); what the draft left alone keeps the client's bytes.
      expect(sent.path).toBe(ex.candidateRequest!.path);
      expect({ ...parseQuery(sent.rawQuery!) }).toEqual({ ...ex.candidateRequest!.query });
      expect(sent.rawQuery).toContain('q=mug%20big');
      const candidate = {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: parseJsonExact(Buffer.from(ex.candidate!.body!.data, 'utf8').toString()),
      };
      const back = await translateResponse(t, candidate, { request: toTranslatableRequest(ex.request), route: 'list' });
      expect(deepEqual(back.body, parseJsonExact(Buffer.from(ex.legacy.body!.data, 'utf8').toString()))).toBe(true);
      checked++;
    }
    expect(checked).toBe(38);
  }, 60_000);
});
