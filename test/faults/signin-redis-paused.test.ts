import { startRedisProcess, type RedisProcess } from '../support/processes';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * Review (review1): the sign-in limiter now asks Redis on every sign-in and every token.
 * A Redis that holds the connection open but does not answer (paused, overloaded, a
 * network partition without a reset) leaves the connection `ready`, so neither the
 * limiter's `status !== 'ready'` check nor `redisGate` fires, and with no
 * `commandTimeout` the EVAL waits for ever: the sign-in never answers (no 503).
 */
describe('fault: sign-in while Redis is paused (review1)', () => {
  let redis: RedisProcess;
  let t: TestTandem;
  let paused = false;

  beforeAll(async () => {
    redis = await startRedisProcess();
    t = await startTestTandem({
      legacy: { url: 'http://127.0.0.1:9' },
      candidate: { url: 'http://127.0.0.1:9' },
      redis: { url: redis.url, prefix: 'review1-paused' },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
  });
  afterAll(async () => {
    if (paused) process.kill(redis.child.pid, 'SIGCONT');
    await t?.server.close();
    await redis?.remove();
  });

  it('answers a sign-in (503) instead of waiting for ever while Redis does not answer', async () => {
    const signIn = (token: string) =>
      fetch(`${t.reportUrl}/_tandem/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        // Generous: an answer of any kind within 10 s; a timed-out fetch rejects.
        signal: AbortSignal.timeout(10_000),
      });
    const first = await signIn(TEST_TOKEN);
    expect(first.status).toBe(200);
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // `GET /session` (who am I) is answered by the auth gate alone: a token or a cookie check.
    const whoAmI = (headers: Record<string, string>) =>
      fetch(`${t.reportUrl}/_tandem/api/session`, { headers, signal: AbortSignal.timeout(10_000) });
    expect((await whoAmI({ cookie })).status).toBe(200);
    process.kill(redis.child.pid, 'SIGSTOP');
    paused = true;
    const answer = (r: Response) => `${r.status} retry-after ${r.headers.get('retry-after')}`;
    const noAnswer = (e: Error) => `no answer: ${e.name}`;
    const [signedIn, bearer, session] = await Promise.all([
      signIn(TEST_TOKEN).then(answer, noAnswer),
      whoAmI({ authorization: `Bearer ${TEST_TOKEN}` }).then(answer, noAnswer),
      // The session's revocation check asks Redis too: it must not wait for ever either.
      whoAmI({ cookie }).then(answer, noAnswer),
    ]);
    process.kill(redis.child.pid, 'SIGCONT');
    paused = false;
    expect({ signedIn, bearer, session }).toEqual({
      signedIn: '503 retry-after 5',
      bearer: '503 retry-after 5',
      session: '503 retry-after 5',
    });
    // Redis answers again: so does sign-in.
    expect((await signIn(TEST_TOKEN)).status).toBe(200);
  }, 30_000);
});
