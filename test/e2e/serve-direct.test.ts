import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

describe('tandem serve: the proxy, the report and operations on listeners of their own', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { path: r.url } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'item', match: 'GET /items/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it("proxies every path on the proxy port, legacy's /_tandem and /healthz included; the report and operations answer on their own ports", async () => {
    expect(new Set([t.url, t.reportUrl, t.opsUrl]).size).toBe(3);
    const before = legacy.seen.length;
    const item = await request(`${t.url}/items/7?x=1`);
    expect(item.status).toBe(200);
    expect(JSON.parse(item.body.toString())).toEqual({ path: '/items/7?x=1' });
    expect(item.headers['x-served-by']).toBe('legacy');
    // On the proxy's origin, the report path and the operations paths are the proxied application's.
    for (const path of ['/_tandem/api/session', '/_tandem/', '/healthz', '/metrics'])
      expect(JSON.parse((await request(`${t.url}${path}`)).body.toString())).toEqual({ path });
    // The report's own listener: its auth gate, its redirect, its API; nothing proxied.
    expect((await request(`${t.reportUrl}/_tandem/api/routes`)).status).toBe(401);
    expect((await request(`${t.reportUrl}/_tandem?tab=1`)).headers.location).toBe('/_tandem/?tab=1');
    expect((await request(`${t.reportUrl}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
    expect((await request(`${t.reportUrl}/items/7`)).status).toBe(404);
    // Operations on theirs.
    expect((await request(`${t.opsUrl}/healthz`)).status).toBe(200);
    expect((await request(`${t.opsUrl}/metrics`)).body.toString()).toContain('tandem_');
    expect((await request(`${t.opsUrl}/_tandem/api/routes`)).status).toBe(404);
    // (the backend is the candidate too: the shadow copy of /items/7 lands here as well)
    expect(
      legacy.seen
        .slice(before)
        .map((r) => r.url)
        .filter((u) => !u.startsWith('/items/')),
    ).toEqual(['/_tandem/api/session', '/_tandem/', '/healthz', '/metrics']);
    const c = await t.waitFor(async () => {
      const counters = await t.counters('item');
      return counters.compared === 1 && counters;
    });
    expect(c).toMatchObject({ seen: 1, shadowed: 1, match: 1 });
  });
});

describe('tandem serve with the report and operations mounted on the proxy (report.listen: proxy)', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { path: r.url } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'item', match: 'GET /items/:id' }],
      report: { token: TEST_TOKEN, listen: 'proxy' },
      ops: { listen: 'proxy' },
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('proxies and shadows directly, answers operations endpoints itself, and leaves only the report to express', async () => {
    expect(t.reportUrl).toBe(t.url);
    expect(t.opsUrl).toBe(t.url);
    const before = legacy.seen.length;
    expect((await request(`${t.url}/items/7?x=1`)).status).toBe(200);
    expect((await request(`${t.url}/healthz`)).status).toBe(200);
    // The report path and below go to express (its auth gate), never to legacy...
    expect((await request(`${t.url}/_tandem/api/routes`)).status).toBe(401);
    expect((await request(`${t.url}/_tandem?tab=1`)).headers.location).toBe('/_tandem/?tab=1');
    expect((await request(`${t.url}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
    // ...but a path that only starts with the same letters is legacy's.
    expect(JSON.parse((await request(`${t.url}/_tandemx/y`)).body.toString())).toEqual({ path: '/_tandemx/y' });
    expect(
      legacy.seen
        .slice(before)
        .map((r) => r.url)
        .filter((u) => !u.startsWith('/items/')),
    ).toEqual(['/_tandemx/y']);
  });
});
