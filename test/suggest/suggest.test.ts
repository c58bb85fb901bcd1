import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, type TandemOptions } from '../../src/config';
import { startSampleCandidate, startSampleLegacy, type SampleBackend } from '../../src/demo';
import { DEMO_COMPARE, DEMO_ROUTES } from '../../src/demo/run-demo';
import { driveSampleTraffic, sampleTrafficPlan } from '../../src/demo/sample-traffic';
import { runDryRun } from '../../src/dryrun';
import { encodeBody, type ExchangeRecord } from '../../src/records';
import { openReplayFile } from '../../src/replay';
import { exchangesFromRedis, suggestTranslator } from '../../src/suggest';
import { tempDir } from '../support/processes';
import { TEST_REDIS_URL } from '../support/redis';
import { startTestTandem } from '../support/tandem';

const ROOT = join(__dirname, '../..');
/** Requests of the demo plan that the product route shadows (every other one is a write or unmatched). */
const PRODUCT_REQUESTS = sampleTrafficPlan(100).filter((p) => /^\/api\/v1\/products\/\d+$/.test(p.path)).length;
const KIT = join(ROOT, 'dist/src/index.js');

let n = 0;
function exchange(
  legacy: unknown,
  candidate: unknown,
  o: {
    status?: number;
    legacyHeaders?: Record<string, string>;
    path?: string;
    candidatePath?: string;
    query?: Record<string, string>;
    candidateQuery?: Record<string, string>;
    params?: Record<string, string>;
  } = {},
): ExchangeRecord {
  const res = (body: unknown, headers: Record<string, string> = {}) => ({
    status: o.status ?? 200,
    headers: { 'content-type': 'application/json', ...headers },
    body: encodeBody(Buffer.from(JSON.stringify(body))),
    durationMs: 1,
  });
  const request = { method: 'GET', path: o.path ?? '/x', query: o.query ?? {}, headers: {}, body: null };
  return {
    id: `ex-${++n}`,
    route: 'r',
    customer: 'anonymous',
    at: 0,
    requestId: `r${n}`,
    params: o.params ?? {},
    request,
    candidateRequest: { ...request, path: o.candidatePath ?? request.path, query: o.candidateQuery ?? request.query },
    legacy: res(legacy, o.legacyHeaders),
    candidate: res(candidate),
  };
}

describe('suggestTranslator', () => {
  it('finds renames, merged fields, type changes and candidate-only fields, with evidence', () => {
    const people = [1, 2, 3, 4].map((i) =>
      exchange(
        { id: i, name: `Ada ${i}`, price: `${i}.50`, email_address: `a${i}@x`, legacyOnly: 1 },
        { id: i, firstName: 'Ada', lastName: String(i), price: i + 0.5, email: `a${i}@x`, sku: `S${i}` },
      ),
    );
    const s = suggestTranslator(people, { route: 'r' });
    const texts = s.rules.map((r) => `${r.kind}: ${r.text} (${r.support}/${r.of})`);
    expect(texts).toEqual(
      expect.arrayContaining([
        'rename: candidate email is legacy email_address (4/4)',
        'join: legacy name = firstName + " " + lastName (4/4)',
        'coerce: price: legacy string, candidate number, same value (4/4)',
        'drop: only the candidate has sku (4/4)',
        'missing: only legacy has legacyOnly: the candidate must send it (no translator can invent it) (4/4)',
      ]),
    );
    expect(s.draft).toContain("joinFields(['firstName', 'lastName'], 'name')");
    expect(s.draft).toContain("'price': (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : v)");
  });

  it('gives counterexamples and leaves out rules most pairs contradict', () => {
    const mostly = [exchange({ a: 1 }, { b: 1 }), exchange({ a: 2 }, { b: 2 }), exchange({ a: 3 }, { b: 9 })];
    expect(suggestTranslator(mostly, { route: 'r' }).rules.find((r) => r.kind === 'rename')).toBeUndefined();
    const many = Array.from({ length: 10 }, (_, i) => exchange({ a: i }, { b: i === 9 ? -1 : i }));
    const rename = suggestTranslator(many, { route: 'r' }).rules.find((r) => r.kind === 'rename')!;
    expect([rename.support, rename.of, rename.counterexamples]).toEqual([9, 10, [`${many[9].id}: a=9 vs b=-1`]]);
  });

  it('finds envelopes, reordered lists, error bodies, path templates and renamed query parameters', () => {
    const list = [
      exchange(
        [{ id: 1 }, { id: 2 }],
        { items: [{ id: 2 }, { id: 1 }], total: 2 },
        {
          legacyHeaders: { 'x-total-count': '2' },
          path: '/api/v1/things',
          candidatePath: '/v2/things',
          query: { q: 'x' },
          candidateQuery: { search: 'x' },
        },
      ),
    ];
    const one = [7, 8].map((i) =>
      exchange({ id: i }, { id: i }, { path: `/api/v1/things/${i}`, candidatePath: `/v2/things/${i}`, params: { id: String(i) } }),
    );
    const missing = exchange(
      {},
      { error: 'Not Found' },
      { status: 404, path: '/api/v1/things/9', candidatePath: '/v2/things/9', params: { id: '9' } },
    );
    const s = suggestTranslator([...list, ...one, missing], { route: 'r' });
    const texts = s.rules.map((r) => `${r.kind}: ${r.text}`);
    expect(texts).toEqual(
      expect.arrayContaining([
        'path: /api/v1/things/:id → /v2/things/:id',
        'path: /api/v1/things → /v2/things',
        'query_rename: query q → search',
        'envelope: candidate wraps the list in { items, total }',
        'reorder: lists in another order, same elements by "id"',
        '404: legacy answers {}'.replace(/^/, 'error_body: '),
      ]),
    );
    expect(s.draft).toContain("unwrapEnvelope({ items: 'items', total: 'total' })");
    expect(s.draft).toContain('404: {},');
  });
});

describe('tandem suggest on the demo', () => {
  let legacy: SampleBackend;
  let candidate: SampleBackend;
  let same: SampleBackend;
  const tmp = tempDir('suggest');

  beforeAll(async () => {
    [legacy, candidate, same] = await Promise.all([
      startSampleLegacy(),
      startSampleCandidate(),
      startSampleCandidate(0, { planted: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([legacy.close(), candidate.close(), same.close()]);
    tmp.remove();
  });

  it('proposes the products-v2 mapping from the stored exchanges, and the draft gives zero mismatches on identical data', async () => {
    const options: TandemOptions = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url, timeoutMs: 5000 },
      compare: DEMO_COMPARE,
      routes: DEMO_ROUTES,
      log: { level: 'silent' },
    };
    const t = await startTestTandem(options);
    let exchanges: ExchangeRecord[];
    try {
      await driveSampleTraffic(t.url, 100);
      await t.waitFor(async () => {
        const c = await t.counters('product');
        return c.shadowed === PRODUCT_REQUESTS && c.compared === c.shadowed;
      }, 30_000);
      exchanges = await exchangesFromRedis(TEST_REDIS_URL, t.prefix, 'product', 500);
    } finally {
      await t.stop();
    }
    expect(exchanges.length).toBe(90);
    const s = suggestTranslator(exchanges, { route: 'product', importFrom: KIT });
    const texts = s.rules.map((r) => `${r.kind}: ${r.text}`);
    expect(texts).toEqual(
      expect.arrayContaining([
        'path: /api/v1/products/:id → /v2/products/:id',
        'rename: candidate title is legacy name',
        'drop: only the candidate has sku',
      ]),
    );
    expect(s.draft).toContain("mapPath({ '/api/v1/products/:id': '/v2/products/:id' }");
    expect(s.draft).toMatch(/\/\/ candidate title is legacy name \(\d+ of \d+ pairs\)\n\s+'title': 'name',/);

    const draftFile = join(tmp.path, 'product-suggested.ts');
    writeFileSync(draftFile, s.draft.replace("name: 'product-suggested',", "name: 'product-suggested',\n  timeoutMs: 10000,"));
    const traffic = join(tmp.path, 'demo.ndjson');
    writeFileSync(
      traffic,
      sampleTrafficPlan(100)
        .map((p) => JSON.stringify({ method: p.method, url: p.path, headers: p.headers, ...(p.body ? { body: p.body } : {}) }))
        .join('\n'),
    );
    const config = createConfig({
      ...options,
      candidate: { url: same.url, timeoutMs: 5000 },
      translators: [draftFile],
      routes: DEMO_ROUTES.map((r) => (r.translator ? { ...r, translator: 'product-suggested' } : r)),
    });
    const dry = await runDryRun(config, await openReplayFile(traffic), { concurrency: 4 });
    const product = dry.routes.find((r) => r.route === 'product')!;
    expect(product.counts).toEqual({ match: 90 });
  }, 90_000);
});
