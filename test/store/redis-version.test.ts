import { checkRedisVersion, MIN_REDIS_VERSION, redisVersionSupported } from '../../src/store/redis-version';
import { openTestRedis } from '../support/redis';

/** Tandem needs Redis 6.2 (ZADD GT, COPY): an older server is named at start, never left to fail command by command. */
describe('the Redis version Tandem needs', () => {
  it('is 6.2 or newer, compared part by part', () => {
    expect(MIN_REDIS_VERSION).toBe('6.2.0');
    for (const v of ['6.2.0', '6.2.14', '7.0.15', '7.4.1', '10.0.0', '6.10.0']) expect([v, redisVersionSupported(v)]).toEqual([v, true]);
    for (const v of ['6.0.16', '5.0.14', '6.1.9', '4.0.0']) expect([v, redisVersionSupported(v)]).toEqual([v, false]);
    // unreadable: not refused (the check only explains failures, it never causes one)
    expect(redisVersionSupported('unknown')).toBe(true);
  });

  it("reads the test Redis's version and logs nothing for it", async () => {
    const redis = openTestRedis();
    const errors: unknown[] = [];
    try {
      const version = await checkRedisVersion(redis, { error: (...a: unknown[]) => errors.push(a) });
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(redisVersionSupported(version!)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
