import { keySchema, signInFailures, type RedisClient } from '../../src/store';
import { addressGroup } from '../../src/report/http/address-group';
import { FailureLimiter } from '../../src/report/http/rate-limit';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';

/**
 * Review (review1): some trusted proxies write the client's address with its source port
 * into X-Forwarded-For (Azure Application Gateway: `203.0.113.7:54321`,
 * `[2001:db8::1]:54321`); express's `req.ip` is then that text. `addressGroup` keeps it
 * as it is, so every source port is a budget of its own: a client escapes the limit by
 * opening new connections (64k ports x 10 guesses a minute), and its IPv6 /64 is not grouped.
 */
describe('the sign-in limiter and an address written with a port (review1)', () => {
  const prefix = uniquePrefix('review1-port');
  let redis: RedisClient;
  beforeAll(async () => {
    redis = openTestRedis();
    await redis.ping();
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('groups an address with a port as the address without it', () => {
    expect(addressGroup('203.0.113.7:54321')).toBe('203.0.113.7');
    expect(addressGroup('[2001:db8:1:2::a]:54321')).toBe('2001:db8:1:2::/64');
  });

  it('gives one client one budget whatever source port its proxy reports', async () => {
    const l = new FailureLimiter(() => signInFailures(redis, keySchema(prefix)), { max: 3, windowMs: 60_000 });
    const waits: number[] = [];
    for (let port = 40000; port < 40010; port++) waits.push(await l.attempt(`203.0.113.7:${port}`, false));
    expect(waits.filter((w) => w > 0).length).toBe(7);
  });
});

describe('addressGroup reads a port only where one can be', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['[2001:db8:1:2::a]', '2001:db8:1:2::/64'],
    ['[::ffff:203.0.113.7]:443', '203.0.113.7'],
    ['2001:db8:1:2::5432', '2001:db8:1:2::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
    ['999.0.113.7:80', '999.0.113.7:80'],
    ['[not-an-ip]:80', '[not-an-ip]:80'],
    ['203.0.113.7:', '203.0.113.7:'],
  ])('%s -> %s', (address, group) => expect(addressGroup(address)).toBe(group));
});
