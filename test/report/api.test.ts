import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import type { ResultsStore } from '../../src/store';
import { fakeExchange, fakeResult, recordMany } from './seed';

const NOW = Date.now();
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

describe('report API: auth, pagination, filters, exports, replay', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let store: ResultsStore;
  let fixed = false;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    candidate = await startBackend((req) => ({ body: { id: req.url, price: fixed ? 10 : 11 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'seeded', match: 'GET /seeded/:id' },
        { name: 'good', match: 'GET /good/:id' },
        { name: 'bad', match: 'GET /bad/:id' },
      ],
    });
    store = t.server.middleware.runtime.store();
    // 120 mismatches on "seeded", one per second back from NOW: odd i is acme, every third is high risk with signature currency,price.
    await recordMany(store, 120, (i) => [
      fakeExchange({ id: `s${i}`, route: 'seeded', at: NOW - (120 - i) * 1000, customer: i % 2 ? 'acme' : '=globex' }),
      fakeResult('mismatch', { paths: i % 3 ? ['price'] : ['currency', 'price'], risk: i % 3 ? 'low' : 'high' }),
    ]);
    // 30 matches, two hours old.
    await recordMany(store, 30, (i) => [
      fakeExchange({ id: `m${i}`, route: 'seeded', at: NOW - 7_200_000 - i, customer: 'acme' }),
      fakeResult('match'),
    ]);
    await recordMany(store, 10, (i) => [
      fakeExchange({ id: `g${i}`, route: 'good', at: NOW - i }),
      fakeResult(i < 9 ? 'match' : 'mismatch'),
    ]);
    await recordMany(store, 10, (i) => [
      fakeExchange({ id: `b${i}`, route: 'bad', at: NOW - i }),
      fakeResult(i < 2 ? 'match' : 'mismatch'),
    ]);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const get = async (path: string) => {
    const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers 401 without the token, and with a wrong one', async () => {
    for (const path of ['/routes', '/routes/seeded/mismatches', '/customers', '/mismatches/s1', '/routes/seeded/export']) {
      expect((await request(`${t.reportUrl}/_tandem/api${path}`)).status).toBe(401);
      expect(
        (await request(`${t.reportUrl}/_tandem/api${path}`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
      ).toBe(401);
    }
    expect((await get('/routes')).status).toBe(200);
  });

  it('pages mismatches newest first without overlap', async () => {
    const first = await get('/routes/seeded/mismatches?limit=50');
    expect(first.body.total).toBe(120);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.items[0].id).toBe(store.keys.recordId('seeded', 's119'));
    const ats = first.body.items.map((m: { at: number }) => m.at);
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    const second = await get('/routes/seeded/mismatches?offset=50&limit=50');
    const third = await get('/routes/seeded/mismatches?offset=100&limit=50');
    expect(third.body.items).toHaveLength(20);
    const ids = new Set([...first.body.items, ...second.body.items, ...third.body.items].map((m: { id: string }) => m.id));
    expect(ids.size).toBe(120);
  });

  it('filters by risk, customer, signature, class and time, alone and combined', async () => {
    expect((await get('/routes/seeded/mismatches?risk=high&limit=500')).body.total).toBe(40);
    expect((await get('/routes/seeded/mismatches?customer=acme')).body.total).toBe(60);
    const sig = await get('/routes/seeded/mismatches?signature=currency,price&limit=500');
    expect(sig.body.total).toBe(40);
    expect(sig.body.items.every((m: { signature: string }) => m.signature === 'currency,price')).toBe(true);
    expect((await get('/routes/seeded/mismatches?risk=high&customer=acme')).body.total).toBe(20);
    const both = await get('/routes/seeded/mismatches?risk=high&customer=%3Dglobex&limit=500');
    expect(both.body.total).toBe(20);
    expect(both.body.items.every((m: { risk: string; customer: string }) => m.risk === 'high' && m.customer === '=globex')).toBe(true);
    const range = await get(`/routes/seeded/mismatches?from=${NOW - 10_000}&to=${NOW - 1000}&limit=500`);
    // Seeded ids carry no route mark: under per-route tags (a cluster) they are stored with one.
    expect(range.body.items.map((m: { id: string }) => m.id).sort()).toEqual(
      ['s110', 's111', 's112', 's113', 's114', 's115', 's116', 's117', 's118', 's119'].map((id) => store.keys.recordId('seeded', id)),
    );
    const matches = await get('/routes/seeded/mismatches?class=match&limit=5');
    expect(matches.body.total).toBe(30);
    expect(matches.body.items[0]).toMatchObject({ class: 'match', customer: 'acme', route: 'seeded' });
    expect((await get('/routes/seeded/mismatches?class=match&since=1h')).body.total).toBe(0);
    expect((await get('/routes/seeded/mismatches?class=match&since=3h')).body.total).toBe(30);
  });

  it('rejects bad filters with a clear 400', async () => {
    const bad = await get('/routes/seeded/mismatches?risk=extreme');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/risk/);
    expect((await get('/routes/seeded/mismatches?class=match&signature=price')).status).toBe(400);
    expect((await get('/routes/seeded/mismatches?from=yesterday')).status).toBe(400);
    expect((await get('/routes/..%2F..%2Fx/mismatches')).status).toBe(400);
  });

  it('skips and forgets index entries whose record expired', async () => {
    const before = (await get('/routes/seeded/mismatches?risk=high&limit=500')).body;
    const gone = before.items.slice(0, 3).map((m: { id: string }) => m.id);
    await store.redis.del(...gone.map((id: string) => store.keys.mismatch(id)));
    const after = (await get('/routes/seeded/mismatches?risk=high&limit=500')).body;
    expect(after.total).toBe(before.total - 3);
    expect(after.items.map((m: { id: string }) => m.id)).not.toContain(gone[0]);
    expect(await store.redis.zcard(store.keys.mismatchesByRisk('seeded', 'high'))).toBe(before.total - 3);
  });

  it('pages and sorts the overview server-side, with a per-minute trend', async () => {
    const worst = (await get('/routes?limit=2&sort=worst&trend=60')).body;
    expect(worst.total).toBe(4);
    expect(worst.routes.map((r: { name: string }) => r.name)).toEqual(['seeded', 'bad']);
    expect(worst.routes[1]).toMatchObject({ compared: 10, mismatches: 8, matchRate: 0.2 });
    const trend = worst.routes[1].trend;
    expect(trend.compared).toHaveLength(60);
    expect(trend.compared.reduce((a: number, b: number) => a + b, 0)).toBe(10);
    expect(trend.mismatch.reduce((a: number, b: number) => a + b, 0)).toBe(8);
    const next = (await get('/routes?offset=2&limit=2&sort=worst')).body;
    expect(next.routes.map((r: { name: string }) => r.name)).toEqual(['good', 'product']);
    expect((await get('/routes?q=goo')).body.routes.map((r: { name: string }) => r.name)).toEqual(['good']);
  });

  // The overview row said `mismatches` where its counters, its trend and the customers rows say
  // `mismatch`: one number, two names. `mismatch` now; `mismatches` stays as a documented alias.
  it('names the mismatch count as the counters do, keeping mismatches as an alias', async () => {
    const row = (await get('/routes?q=bad')).body.routes[0];
    expect(row).toMatchObject({ name: 'bad', mismatch: 8, mismatches: 8, counters: { mismatch: 8 } });
    expect((await get('/routes/bad/summary')).body).toMatchObject({ mismatch: 8, mismatches: 8, counters: { mismatch: 8 } });
  });

  it('lists customers per route with match rate and volume', async () => {
    const rows = (await get('/customers?route=seeded')).body;
    expect(rows.items).toEqual([
      expect.objectContaining({ customer: '=globex', route: 'seeded', compared: 60, mismatch: 60, matchRate: 0 }),
      expect.objectContaining({ customer: 'acme', route: 'seeded', compared: 90, match: 30, mismatch: 60, matchRate: 30 / 90 }),
    ]);
    expect((await get('/customers?customer=acme')).body.items.map((r: { route: string }) => r.route)).toEqual(['seeded']);
  });

  it('answers the field tree and signatures', async () => {
    const fields = (await get('/routes/seeded/fields')).body;
    expect(fields.compared).toBe(150);
    expect(fields.tree.map((n: { path: string; differs: number }) => [n.path, n.differs])).toEqual([
      ['price', 120],
      ['currency', 40],
    ]);
    const sigs = (await get('/routes/seeded/signatures?risk=high')).body;
    expect(sigs.signatures).toEqual([
      expect.objectContaining({ signature: 'currency,price', count: 40, risk: 'high', lastSeen: NOW - 3000 }),
    ]);
    expect((await get('/routes/seeded/signatures?limit=1&offset=1')).body).toMatchObject({
      total: 2,
      signatures: [{ signature: 'currency,price' }],
    });
  });

  it('exports filtered mismatches as CSV (formulas defused) and JSON', async () => {
    const csv = await fetch(`${t.reportUrl}/_tandem/api/routes/seeded/export?format=csv&customer=%3Dglobex`, { headers: auth });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="tandem-seeded-mismatch-/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,route,customer,method,path,class,legacy_status,candidate_status,risk,signature,differences,paths,duplicates',
    );
    expect(lines.length).toBe(1 + 60 - 1); // s114 was deleted above
    expect(lines[1].split(',')[3]).toBe("'=globex");
    const json = await fetch(`${t.reportUrl}/_tandem/api/routes/seeded/export?format=json&class=match`, { headers: auth });
    const rows = (await json.json()) as { class: string; exchange: { id: string } }[];
    expect(rows).toHaveLength(30);
    expect(rows[0].class).toBe('match');
  });

  it('replays a stored mismatch against the current candidate without storing it', async () => {
    await request(`${t.url}/products/2`);
    const page = await t.waitFor(async () => {
      const p = (await get('/routes/product/mismatches')).body;
      return p.total > 0 && p;
    });
    const id = page.items[0].id as string;
    fixed = true;
    const res = await fetch(`${t.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(id)}/replay`, { method: 'POST', headers: auth });
    expect(res.status).toBe(200);
    const out = (await res.json()) as any;
    expect(out).toMatchObject({
      id,
      stored: false,
      before: { class: 'mismatch', signature: 'price' },
      result: { class: 'match', differences: [] },
    });
    expect(out.exchange.candidate.status).toBe(200);
    const replayed = candidate.seen.filter((r) => r.url === '/products/2');
    expect(replayed).toHaveLength(2);
    expect(replayed[1].headers['x-tandem-replay']).toBe('1');
    expect((await get(`/mismatches/${encodeURIComponent(id)}`)).body.result.class).toBe('mismatch');
    expect((await fetch(`${t.reportUrl}/_tandem/api/exchanges/nope-1/replay`, { method: 'POST', headers: auth })).status).toBe(404);
  });

  it('stores credential query parameters redacted, and leaves them out of a replay', async () => {
    await request(`${t.url}/products/3?access_token=SECRET-qs&page=2`);
    // The shadow got the real request.
    await t.waitFor(async () => candidate.seen.some((r) => r.url === '/products/3?access_token=SECRET-qs&page=2'));
    type Row = { exchange: { id: string; request: { path: string; query: Record<string, string> } } };
    const exported = async (cls: string) =>
      (await (await fetch(`${t.reportUrl}/_tandem/api/routes/product/export?format=json&class=${cls}`, { headers: auth })).json()) as Row[];
    // A match or a mismatch, depending on whether the candidate was fixed by the test before.
    const row = await t.waitFor(async () =>
      [...(await exported('match')), ...(await exported('mismatch'))].find((r) => r.exchange.request.path === '/products/3'),
    );
    expect(row.exchange.request.query).toEqual({ access_token: expect.stringMatching(/^\[REDACTED:[0-9a-f]{16}\]$/), page: '2' });
    const res = await fetch(`${t.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(row.exchange.id)}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(candidate.seen.at(-1)!.url).toBe('/products/3?page=2');
  });
});
