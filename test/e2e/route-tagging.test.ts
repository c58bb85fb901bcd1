import { markOfId, routeMark } from '../../src/records';
import { hashTagOf } from '../../src/store';
import { startBackend, type TestBackend } from '../support/backends';
import { keysUnder } from '../support/redis';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * Per-route hash tags (`redis.tagging: route`, the default on a Redis Cluster) on a single
 * Redis: the same flow and answers as with one tag; only key names change (each route's
 * keys and records under `{prefix:r<mark>}`), and exchange ids carry their route's mark,
 * so a record is found by its id alone.
 */
describe('redis.tagging: route on a single Redis', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const api = async (path: string, method = 'GET') => {
    const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    return { status: res.status, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    candidate = await startBackend((req) => ({ body: { id: req.url, price: req.url.startsWith('/orders/') ? 10 : 12 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'GET /orders/:id' },
      ],
      redis: { tagging: 'route' },
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it("keeps each route's keys and records under its own tag, and the report works as with one tag", async () => {
    for (let i = 1; i <= 4; i++) {
      expect((await request(`${t.url}/products/${i}`)).status).toBe(200);
      expect((await request(`${t.url}/orders/${i}`)).status).toBe(200);
    }
    await t.waitFor(async () => (await t.counters('product')).compared === 4 && (await t.counters('order')).compared === 4, 15_000);
    expect(await t.counters('product')).toMatchObject({ seen: 4, compared: 4, mismatch: 4 });
    expect(await t.counters('order')).toMatchObject({ seen: 4, compared: 4, match: 4 });

    const tags = new Set((await keysUnder(t.prefix)).map(hashTagOf));
    expect(tags).toEqual(new Set([t.prefix, `${t.prefix}:r${routeMark('product')}`, `${t.prefix}:r${routeMark('order')}`]));

    const page = (await api('/routes/product/mismatches?limit=10')).json as { total: number; items: { id: string }[] };
    expect(page.total).toBe(4);
    expect(markOfId(page.items[0].id)).toBe(routeMark('product'));
    const one = await api(`/mismatches/${page.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.json.result.differences).toEqual([expect.objectContaining({ path: 'price', legacy: 10, candidate: 12 })]);
    expect((await api('/routes')).json.routes.map((r: { name: string }) => r.name).sort()).toEqual(['order', 'product']);
    expect((await api('/routes/product/rediff', 'POST')).json).toEqual({ recomputed: 4, byClass: { mismatch: 4 } });
  });
});
