import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

describe('tandem serve without express on the primary path', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { path: r.url } }));
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url }, routes: [{ name: 'item', match: 'GET /items/:id' }] });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('proxies and shadows directly, answers operations endpoints itself, and leaves only the report to express', async () => {
    const before = legacy.seen.length;
    const item = await request(`${t.url}/items/7?x=1`);
    expect(item.status).toBe(200);
    expect(JSON.parse(item.body.toString())).toEqual({ path: '/items/7?x=1' });
    expect(item.headers['x-served-by']).toBe('legacy');
    expect((await request(`${t.url}/healthz`)).status).toBe(200);
    // The report path and below go to express (its auth gate), never to legacy...
    expect((await request(`${t.url}/_tandem/api/routes`)).status).toBe(401);
    expect((await request(`${t.url}/_tandem?tab=1`)).headers.location).toBe('/_tandem/?tab=1'); // the report's own redirect
    const api = await request(`${t.url}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(api.status).toBe(200);
    // ...but a path that only starts with the same letters is legacy's.
    expect(JSON.parse((await request(`${t.url}/_tandemx/y`)).body.toString())).toEqual({ path: '/_tandemx/y' });
    expect(legacy.seen.slice(before).map((r) => r.url)).toEqual(expect.arrayContaining(['/items/7?x=1', '/_tandemx/y']));
    expect(legacy.seen.slice(before).some((r) => r.url.startsWith('/_tandem/') || r.url.startsWith('/_tandem?') || r.url === '/healthz')).toBe(false);
    const c = await t.waitFor(async () => {
      const counters = await t.counters('item');
      return counters.compared === 1 && counters;
    });
    expect(c).toMatchObject({ seen: 1, shadowed: 1, match: 1 });
  });
});
