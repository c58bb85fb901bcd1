import { startRedisProcess, type RedisProcess } from '../support/processes';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * The report API while its Redis is down: a clear 503 at once (the page says so), not a
 * request that waits on ioredis' reconnecting queue or fails as an internal error; and
 * answers again once Redis is back.
 */
describe('fault: the report API while Redis is down', () => {
  let redis: RedisProcess;
  let t: TestTandem;
  let stopped = false;

  beforeAll(async () => {
    redis = await startRedisProcess();
    t = await startTestTandem({
      legacy: { url: 'http://127.0.0.1:9' },
      candidate: { url: 'http://127.0.0.1:9' },
      redis: { url: redis.url, prefix: 'report-redis-down' },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
  });
  afterAll(async () => {
    // Tandem stops cleanly with its Redis up (a failed case may have left it down).
    if (stopped) await redis.start();
    await t?.server.close();
    await redis?.remove();
  });

  // Each call must answer within 5 s (generous for a loaded machine; a queued command would wait for ever on a cluster).
  const get = (path: string) =>
    fetch(`${t.reportUrl}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` }, signal: AbortSignal.timeout(5000) });

  it('answers 503 naming Redis while it is down, and 200 again once it is back', async () => {
    expect((await get('/routes')).status).toBe(200);
    await redis.stop();
    stopped = true;
    // The connection notices the close at once; allow the client a moment to see it.
    const down = await t.waitFor(async () => {
      const res = await get('/routes');
      return res.status !== 200 && res;
    }, 10_000);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      error: 'unavailable',
      message: expect.stringMatching(/Redis\) is not reachable/),
    });
    for (const path of ['/routes/product/mismatches', '/rollout', '/customers']) expect((await get(path)).status).toBe(503);
    // The lag endpoint says so itself, with this process's own buffer.
    expect((await get('/lag')).status).toBe(503);
    // A sign-in that cannot be checked against the limiter's shared budget in Redis is
    // refused (fail closed), the right token too: never an uncounted 401, and never a 200
    // that would tell a right guess from a wrong one at full speed while the limit is blind.
    const signIn = (token: string) =>
      fetch(`${t.reportUrl}/_tandem/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(5000),
      });
    const wrong = await signIn('wrong-token-0123456789abcdef');
    expect(wrong.status).toBe(503);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/sign-in attempts cannot be checked/);
    expect((await get('/lag')).status).toBe(503);
    const right = await signIn(TEST_TOKEN);
    expect(right.status).toBe(503);
    expect(right.headers.getSetCookie()).toEqual([]);
    await redis.start();
    stopped = false;
    await t.waitFor(async () => (await get('/routes')).status === 200, 15_000);
  });
});
