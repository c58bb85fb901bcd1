import { startBackend, type TestBackend } from '../support/backends';
import http from 'node:http';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { ReportSessions, SESSION_TTL_MS } from '../../src/report/http/session';

/** GET a path exactly as written (no URL normalisation on the client side). */
function rawGet(base: string, path: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((done, fail) => {
    http
      .get({ hostname, port, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on('error', fail);
  });
}

/** Sign in and return the cookie header to send back, and the CSRF value. */
async function signIn(t: TestTandem): Promise<{ cookie: string; csrf: string; setCookie: string[] }> {
  const res = await fetch(`${t.reportUrl}/_tandem/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: TEST_TOKEN }),
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.getSetCookie();
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  const csrf = /tandem_csrf=([^;]+)/.exec(cookie)![1];
  return { cookie, csrf, setCookie };
}

describe('report sign-in, sessions and cross-site protection', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { legacy: req.url } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie scoped to the report path', async () => {
    const { setCookie, cookie } = await signIn(t);
    const session = setCookie.find((c) => c.startsWith('tandem_session='))!;
    expect(session).toMatch(/; Path=\/_tandem/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    const csrf = setCookie.find((c) => c.startsWith('tandem_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Strict/);
    const me = await fetch(`${t.reportUrl}/_tandem/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ authenticated: true, via: 'session' });
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a wrong token, a non-JSON sign-in and a tampered cookie', async () => {
    const wrong = await fetch(`${t.reportUrl}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'x'.repeat(26) }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const form = await fetch(`${t.reportUrl}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TEST_TOKEN}`,
    });
    expect(form.status).toBe(400);
    const { cookie } = await signIn(t);
    const tampered = cookie.replace(/tandem_session=v1\.(\d+)\./, (_m, ts: string) => `tandem_session=v1.${Number(ts) + 1}.`);
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie: tampered } })).status).toBe(401);
  });

  it('requires the CSRF header and a same-origin Origin on writes with a cookie; bearer scripts are exempt', async () => {
    const { cookie, csrf } = await signIn(t);
    const post = (headers: Record<string, string>) =>
      fetch(`${t.reportUrl}/_tandem/api/exchanges/unknown-1/replay`, { method: 'POST', headers: { cookie, ...headers } });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-tandem-csrf': 'forged' })).status).toBe(403);
    expect((await post({ 'x-tandem-csrf': csrf, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'x-tandem-csrf': csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A page served through the proxy is another origin (same host, another port): refused.
    expect((await post({ 'x-tandem-csrf': csrf, origin: t.url, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // Past the gate: the id is unknown.
    expect((await post({ 'x-tandem-csrf': csrf, origin: t.reportUrl })).status).toBe(404);
    const bearer = await fetch(`${t.reportUrl}/_tandem/api/exchanges/unknown-1/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(bearer.status).toBe(404);
    const crossSignIn = await fetch(`${t.reportUrl}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ token: TEST_TOKEN }),
    });
    expect(crossSignIn.status).toBe(403);
  });

  it('signs out by clearing both cookies and revoking the session on the server until it expires', async () => {
    const { cookie, csrf } = await signIn(t);
    const other = await signIn(t);
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${t.reportUrl}/_tandem/api/session`, { method: 'DELETE', headers: { cookie, 'x-tandem-csrf': csrf } });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    expect(cleared.find((c) => c.startsWith('tandem_session=;'))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cleared.find((c) => c.startsWith('tandem_csrf=;'))).toBeDefined();
    // A copy of the cookie kept after sign-out is refused, here and on another instance sharing the Redis...
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie } })).status).toBe(401);
    const key = await t.server.middleware.runtime.store().redis.keys(`{${t.prefix}}:report:revoked:*`);
    expect(key).toHaveLength(1);
    expect(await t.server.middleware.runtime.store().redis.pttl(key[0])).toBeGreaterThan(SESSION_TTL_MS - 120_000);
    // ...while other sessions go on (unless they were issued in the same millisecond, which this test avoids by checking it).
    if (other.cookie !== cookie)
      expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie: other.cookie } })).status).toBe(200);
  });

  it('serves the page with a strict CSP, and only allowlisted files: no path traversal', async () => {
    const page = await request(`${t.reportUrl}/_tandem/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body.toString()).toContain('assets/app.js');
    expect((await request(`${t.reportUrl}/_tandem`)).headers.location).toBe('/_tandem/');
    expect((await request(`${t.reportUrl}/_tandem/assets/app.js`)).headers['content-type']).toMatch(/text\/javascript/);
    const d2h = await request(`${t.reportUrl}/_tandem/vendor/diff2html.min.js`);
    expect(d2h.status).toBe(200);
    expect(d2h.body.length).toBeGreaterThan(10_000);
    for (const path of [
      '/_tandem/assets/..%2f..%2fpackage.json',
      '/_tandem/assets/..%2F..%2Fpackage.json',
      '/_tandem/assets/%2e%2e%2fpackage.json',
      '/_tandem/assets/....%2f%2fpackage.json',
      '/_tandem/assets/%252e%252e%252fpackage.json',
      '/_tandem/assets/..\\..\\package.json',
      '/_tandem/assets/.env',
      '/_tandem/assets/APP.JS',
      '/_tandem/vendor/..%2fpackage.json',
      '/_tandem/vendor/diff2html.js',
      '/_tandem/vendor/__proto__',
      '/_tandem/vendor/constructor',
      '/_tandem/assets/rollout.js.map',
    ]) {
      const res = await rawGet(t.reportUrl, path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body.toString()).not.toContain('"dependencies"');
    }
  });

  it('keeps everything under the report path away from legacy', async () => {
    const before = legacy.seen.length;
    expect((await request(`${t.reportUrl}/_tandem/whatever`)).status).toBe(404);
    expect((await rawGet(t.reportUrl, '/_tandem/../_tandem/nope')).status).toBe(404);
    expect((await rawGet(t.reportUrl, '/_tandem/assets/../../package.json')).status).toBe(404);
    expect(legacy.seen.length).toBe(before);
  });

  it('rate-limits sign-ins per address: after 10 failures in a minute every attempt gets 429, the right token too; a session still works', async () => {
    const attempt = (token: string) =>
      fetch(`${t.reportUrl}/_tandem/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    const session = await signIn(t);
    // Earlier tests' failures from this address still count (a success clears nothing): at most ten reach the limit.
    let wrong = 0;
    while (wrong < 11 && (await attempt(`wrong-token-${wrong}-0123456789`)).status === 401) wrong++;
    expect(wrong).toBeLessThanOrEqual(10);
    const limited = await attempt('wrong-token-x-0123456789');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { authorization: 'Bearer wrong-token-y-0123456789' } })).status,
    ).toBe(429);
    // The address is locked out: the right token is refused too, by sign-in and as a bearer token...
    expect((await attempt(TEST_TOKEN)).status).toBe(429);
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(429);
    // ...while a session signed in before goes on working (it presents no token).
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes`, { headers: { cookie: session.cookie } })).status).toBe(200);
  });

  it('never takes the token from the URL', async () => {
    expect((await fetch(`${t.reportUrl}/_tandem/api/routes?token=${TEST_TOKEN}`)).status).toBe(401);
  });
});

describe('report session units', () => {
  it('expires sessions and binds the CSRF value to the session and the token', () => {
    const s = new ReportSessions('token-0123456789abcdef');
    const now = 1_700_000_000_000;
    const v = s.issue(now);
    expect(s.verify(v, now + 1000)).toBe(true);
    expect(s.verify(v, now + SESSION_TTL_MS + 1)).toBe(false);
    expect(new ReportSessions('another-token-0123456789').verify(v, now)).toBe(false);
    expect(s.csrfMatches(v, s.csrfFor(v))).toBe(true);
    expect(s.csrfMatches(s.issue(now + 1), s.csrfFor(v))).toBe(false);
  });
});
