import { keySchema, signInFailures, type RedisClient } from '../../src/store';
import { FailureLimiter } from '../../src/report/http/rate-limit';
import { SIGN_IN_FAILURES_PER_MINUTE } from '../../src/report/http/router';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { signIn, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { startBackend, type TestBackend } from '../support/backends';

/**
 * The report's sign-in limiter counts failures in Redis, so every process of
 * `tandem serve --processes N` and every instance of a deployment share one budget per
 * client address (not N budgets), counted atomically; and a failure that cannot be
 * counted (Redis away) is refused with 503, never answered as an uncounted 401.
 */
describe('the sign-in limiter shared through Redis', () => {
  const prefix = uniquePrefix('limiter');
  const clients: RedisClient[] = [];
  /** A limiter with its own Redis connection, as another process would have. */
  const limiterOfAProcess = async (o: { max?: number; windowMs?: number } = {}) => {
    const redis = openTestRedis();
    clients.push(redis);
    await redis.ping();
    return new FailureLimiter(() => signInFailures(redis, keySchema(prefix)), {
      max: o.max ?? SIGN_IN_FAILURES_PER_MINUTE,
      windowMs: o.windowMs ?? 60_000,
    });
  };

  afterAll(async () => {
    await deletePrefix(prefix);
    clients.forEach((c) => c.disconnect());
  });

  it('gives two processes one budget per address, not one each', async () => {
    const a = await limiterOfAProcess();
    const b = await limiterOfAProcess();
    for (let i = 0; i < 5; i++) {
      expect(await a.attempt('203.0.113.7', false)).toBe(0);
      expect(await b.attempt('203.0.113.7', false)).toBe(0);
    }
    const waitA = await a.attempt('203.0.113.7', false);
    expect(waitA).toBeGreaterThan(0);
    expect(waitA).toBeLessThanOrEqual(60);
    expect(await b.attempt('203.0.113.7', false)).toBeGreaterThan(0);
    // Another address keeps its own budget.
    expect(await b.attempt('203.0.113.8', false)).toBe(0);
  });

  it('counts concurrent failures exactly (atomic): 30 at once from three processes leave exactly 20 refused', async () => {
    const ls = await Promise.all([limiterOfAProcess(), limiterOfAProcess(), limiterOfAProcess()]);
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => ls[i % 3].attempt('2001:db8::1', false)));
    expect(waits.filter((w) => w === 0)).toHaveLength(SIGN_IN_FAILURES_PER_MINUTE);
    expect(waits.filter((w) => w > 0)).toHaveLength(30 - SIGN_IN_FAILURES_PER_MINUTE);
  });

  it('keys failures by a hash of the address, never the address as sent, and lets them expire', async () => {
    const hostile = '10.0.0.1}:route:x:counters*\r\n';
    const l = await limiterOfAProcess({ max: 1, windowMs: 60_000 });
    expect(await l.attempt(hostile, false)).toBe(0);
    const keys = await keysUnder(prefix);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k).not.toContain('203.0.113.7');
      expect(k).not.toContain('2001:db8');
      expect(k).not.toContain('10.0.0.1');
      expect(k.startsWith(`{${prefix}}:`)).toBe(true);
    }
    const redis = clients[clients.length - 1];
    for (const k of keys) expect(await redis.pttl(k)).toBeGreaterThan(0);
  });

  it('forgets failures once the window has passed', async () => {
    const l = await limiterOfAProcess({ max: 1, windowMs: 300 });
    expect(await l.attempt('198.51.100.9', false)).toBe(0);
    expect(await l.attempt('198.51.100.9', false)).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(await l.attempt('198.51.100.9', false)).toBe(0);
  });

  it('locks an address out once over the limit: the right token is refused too, clears nothing, and nothing more is counted', async () => {
    const l = await limiterOfAProcess({ max: 3, windowMs: 60_000 });
    const redis = clients[clients.length - 1];
    const key = keySchema(prefix).reportSignInFailures('192.0.2.40');
    for (let i = 0; i < 3; i++) expect(await l.attempt('192.0.2.40', false)).toBe(0);
    const ttl = await redis.pttl(key);
    expect(await l.attempt('192.0.2.40', true)).toBeGreaterThan(0);
    expect(await l.attempt('192.0.2.40', false)).toBeGreaterThan(0);
    expect(await redis.get(key)).toBe('3');
    // The window is not extended by attempts while locked (a fixed window from the first failure).
    expect(await redis.pttl(key)).toBeLessThanOrEqual(ttl);
  });

  it('clears nothing on a success (a script polling with the token cannot refill a guesser at its address); right tokens never use up the budget', async () => {
    const l = await limiterOfAProcess({ max: 3, windowMs: 60_000 });
    const redis = clients[clients.length - 1];
    const key = keySchema(prefix).reportSignInFailures('192.0.2.50');
    const fresh = keySchema(prefix).reportSignInFailures('192.0.2.51');
    expect(await l.attempt('192.0.2.50', false)).toBe(0);
    expect(await l.attempt('192.0.2.50', false)).toBe(0);
    const ttl = await redis.pttl(key);
    const many = await Promise.all(Array.from({ length: 20 }, () => l.attempt('192.0.2.50', true)));
    expect(many).toEqual(Array(20).fill(0));
    expect(await redis.get(key)).toBe('2');
    // The window is not extended by successes either.
    expect(await redis.pttl(key)).toBeLessThanOrEqual(ttl);
    // The third failure is the last one answered by its token: the address is then locked.
    expect(await l.attempt('192.0.2.50', false)).toBe(0);
    expect(await l.attempt('192.0.2.50', true)).toBeGreaterThan(0);
    // Right tokens from an address without failures create no key.
    expect(await Promise.all(Array.from({ length: 5 }, () => l.attempt('192.0.2.51', true)))).toEqual(Array(5).fill(0));
    expect(await redis.exists(fresh)).toBe(0);
  });

  it('answers at most the limit of attempts by their token, however many run at once, right ones mixed in', async () => {
    const ls = await Promise.all([limiterOfAProcess(), limiterOfAProcess()]);
    await Promise.all(Array.from({ length: SIGN_IN_FAILURES_PER_MINUTE }, (_, i) => ls[i % 2].attempt('192.0.2.60', false)));
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => ls[i % 2].attempt('192.0.2.60', i % 4 === 0)));
    expect(waits.every((w) => w > 0)).toBe(true);
  });

  it('fails closed: an attempt that cannot be checked is refused with 503, right or wrong (no store yet, or Redis unreachable)', async () => {
    const noStore = new FailureLimiter(() => null, { max: 10, windowMs: 60_000 });
    await expect(noStore.attempt('203.0.113.7', false)).rejects.toMatchObject({ status: 503 });
    await expect(noStore.attempt('203.0.113.7', true)).rejects.toMatchObject({ status: 503 });
    const away = openTestRedis({ lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(away);
    const unreachable = new FailureLimiter(() => signInFailures(away, keySchema(prefix)), { max: 10, windowMs: 60_000 });
    await expect(unreachable.attempt('203.0.113.7', false)).rejects.toMatchObject({ status: 503 });
  });
});

describe('two report instances on one Redis', () => {
  let legacy: TestBackend;
  let a: TestTandem;
  let b: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => null);
    a = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url } });
    b = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url }, redis: { prefix: a.prefix } });
  });
  afterAll(async () => {
    await b?.server.close();
    await a?.stop();
    await legacy?.close();
  });

  it('share one budget of failed sign-ins per address: the 11th attempt over both, right or wrong, gets 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn(a, `wrong-a-${i}-0123456789abcdef`)).status).toBe(401);
      expect((await signIn(b, `wrong-b-${i}-0123456789abcdef`)).status).toBe(401);
    }
    const limited = await signIn(a, 'wrong-x-0123456789abcdef');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const viaToken = await fetch(`${b.reportUrl}/_tandem/api/routes`, { headers: { authorization: 'Bearer wrong-y-0123456789abcdef' } });
    expect(viaToken.status).toBe(429);
    // The address is locked out on both instances: the right token is refused too.
    expect((await signIn(b, TEST_TOKEN)).status).toBe(429);
    expect((await fetch(`${a.reportUrl}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(429);
  });
});
