import { startRedisProcess, type RedisProcess } from '../support/processes';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * The report API while its Redis holds the connection open and answers nothing. ioredis
 * waits for ever there. The sign-in check (2 s) bounds a request that arrives while Redis is
 * already silent; a request whose sign-in passed and whose own command then gets no answer
 * (here `CLIENT PAUSE ... WRITE`: the session check, a read, passes; the route's write waits
 * for the pause) hung until Redis answered. Every route now answers a clear 503 with
 * `Retry-After` within a few seconds, writes included (rules, rediff, rollout), and goes on
 * when Redis answers. A redis-server stopped with SIGSTOP (silent for everything, as
 * `CLIENT PAUSE ... ALL`, `DEBUG SLEEP` or a stalled host) is answered 503 as well.
 */
describe('fault: the report API while Redis does not answer', () => {
  let redis: RedisProcess;
  let t: TestTandem;
  let stopped = false;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    redis = await startRedisProcess();
    t = await startTestTandem({
      legacy: { url: 'http://127.0.0.1:9' },
      candidate: { url: 'http://127.0.0.1:9' },
      redis: { url: redis.url, prefix: 'report-redis-paused' },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    await t.server.middleware.ready;
    const res = await fetch(`${t.reportUrl}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKEN }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    session = { cookie, csrf: /tandem_csrf=([^;]+)/.exec(cookie)![1] };
  });
  afterAll(async () => {
    if (stopped) redis.child.kill('SIGCONT');
    await redis?.client().call('CLIENT', 'UNPAUSE');
    await t?.server.close();
    await redis?.remove();
  });

  // No call may wait past 15 s (the bound is about 3 s; the rest is slack for a loaded machine).
  const call = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${t.reportUrl}/_tandem/api${path}`, {
      method,
      headers: { cookie: session.cookie, 'x-tandem-csrf': session.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
  const unavailable = async (res: Response) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });

  it.each([
    ['a rule change', '/routes/product/rules/ignore', 'POST', { path: 'a.b' }],
    ['a rediff', '/routes/product/rediff', 'POST', undefined],
    ['a rollout change', '/rollout/routes/product', 'PUT', { phase: 'legacy' }],
  ])(
    'answers 503 with Retry-After to %s whose write gets no answer, and the change lands once Redis answers',
    async (_what, path, method, body) => {
      expect((await call('/routes')).status).toBe(200);
      const admin = redis.client();
      await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE');
      try {
        expect(await unavailable(await call(path, method, body))).toEqual({
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          body: { error: 'unavailable', message: expect.stringMatching(/Redis\) is not answering/) },
        });
      } finally {
        await admin.call('CLIENT', 'UNPAUSE');
      }
      await t.waitFor(async () => (await call('/routes')).status === 200, 15_000);
    },
    60_000,
  );

  it('leaves the rediff asked for while Redis was silent to finish, then runs another', async () => {
    await t.waitFor(async () => (await call('/routes/product/rediff', 'POST')).status === 200, 15_000);
    expect((await call('/routes/product/rules')).status).toBe(200);
  }, 30_000);

  it('answers 503 with Retry-After on reads and exports while redis-server is stopped, and 200 once it runs again', async () => {
    redis.child.kill('SIGSTOP');
    stopped = true;
    const paths = ['/routes', '/routes/product/mismatches', '/routes/product/export?format=csv', '/customers', '/rollout', '/lag'];
    const answers = await Promise.all(paths.map(async (p) => ({ p, ...(await unavailable(await call(p))) })));
    for (const a of answers) expect(a).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    redis.child.kill('SIGCONT');
    stopped = false;
    await t.waitFor(async () => (await call('/routes')).status === 200, 15_000);
  }, 60_000);
});
