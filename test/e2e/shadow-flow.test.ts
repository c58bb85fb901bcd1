import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10, tags: ['a', 'b'] });

describe('shadowing a route end to end', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { headers: { 'x-legacy': 'yes' }, body: product(m[1]) };
      if (req.method === 'POST') return { status: 201, body: { created: true } };
      return { body: { other: req.url } };
    });
    candidate = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (!m) return { status: 201, body: { created: true } };
      // Product 2 has a planted difference in `price`.
      return { body: m[1] === '2' ? { ...product(m[1]), price: 11 } : product(m[1]) };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'POST /orders' },
      ],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it("serves legacy's exact status, headers and bytes", async () => {
    const direct = await request(`${legacy.url}/products/1`);
    const via = await request(`${t.url}/products/1`);
    expect(via.status).toBe(200);
    expect(via.headers['x-legacy']).toBe('yes');
    expect(via.body.equals(direct.body)).toBe(true);
  });

  it('mirrors the request to the candidate with the shadow marker', async () => {
    await request(`${t.url}/products/7?x=1`);
    const mirrored = await t.waitFor(async () => candidate.seen.find((r) => r.url === '/products/7?x=1'));
    expect(mirrored.headers['x-tandem-shadow']).toBe('1');
    expect(mirrored.headers['x-request-id']).toBeTruthy();
    const atLegacy = legacy.seen.find((r) => r.url === '/products/7?x=1');
    expect(atLegacy?.headers['x-request-id']).toBe(mirrored.headers['x-request-id']);
  });

  it('stores a differing field as a mismatch with its route and path', async () => {
    await request(`${t.url}/products/2`);
    const page = await t.waitFor(async () => {
      const p = await t.api<{ total: number; items: { id: string; route: string; signature: string }[] }>('/routes/product/mismatches');
      return p.total > 0 && p;
    });
    expect(page.items[0].route).toBe('product');
    expect(page.items[0].signature).toBe('price');
    const full = await t.api(`/mismatches/${page.items[0].id}`);
    expect(full.result.class).toBe('mismatch');
    expect(full.result.differences).toEqual([expect.objectContaining({ path: 'price', kind: 'changed', legacy: 10, candidate: 11 })]);
    expect(full.exchange.request.path).toBe('/products/2');
  });

  it('counts identical responses as matches', async () => {
    const before = (await t.counters('product')).match ?? 0;
    await request(`${t.url}/products/3`);
    await request(`${t.url}/products/4`);
    const c = await t.waitFor(async () => {
      const c = await t.counters('product');
      return (c.match ?? 0) >= before + 2 ? c : undefined;
    });
    expect(c.match).toBe(before + 2);
  });

  it('does not mirror a POST unless the route says so', async () => {
    const res = await request(`${t.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(res.status).toBe(201);
    expect(legacy.seen.some((r) => r.method === 'POST' && r.body === '{"n":1}')).toBe(true);
    const c = await t.waitFor(async () => {
      const c = await t.counters('order');
      return c.seen ? c : undefined;
    });
    expect(c['skipped:write']).toBe(1);
    expect(candidate.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('proxies unmatched routes to legacy without shadowing', async () => {
    const res = await request(`${t.url}/elsewhere?q=1`);
    expect(JSON.parse(res.body.toString())).toEqual({ other: '/elsewhere?q=1' });
    await new Promise((r) => setTimeout(r, 200));
    expect(candidate.seen.some((r) => r.url.startsWith('/elsewhere'))).toBe(false);
  });

  it('refuses the report API without the token', async () => {
    const res = await request(`${t.reportUrl}/_tandem/api/routes`);
    expect(res.status).toBe(401);
    const wrong = await request(`${t.reportUrl}/_tandem/api/routes`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });
});
