import { keySchema, signInFailures, type RedisClient } from '../../src/store';
import { FailureLimiter } from '../../src/report/http/rate-limit';
import { addressList } from '../../src/report/http/address-list';
import { bareAddress } from '../../src/report/http/address-group';
import { createConfig } from '../../src/config';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { signIn, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { startBackend, type TestBackend } from '../support/backends';

/**
 * `report.lockoutExempt`: the operators' own addresses are never locked out of the report
 * by a guesser sharing their address or IPv6 /64 (the lockout refuses the right token too,
 * so without it anyone on a shared NAT could keep the operators out).
 */
describe('addressList (report.lockoutExempt)', () => {
  it('matches addresses, ranges and the named ranges, in every form a client address comes in', () => {
    const inList = addressList(['192.0.2.10', '2001:db8:1::/48', 'loopback', '10.1.0.0/16']);
    expect(inList('192.0.2.10')).toBe(true);
    expect(inList('192.0.2.10:5000')).toBe(true);
    expect(inList('::ffff:192.0.2.10')).toBe(true);
    expect(inList('192.0.2.11')).toBe(false);
    expect(inList('2001:db8:1:ffff::7')).toBe(true);
    expect(inList('[2001:DB8:1:2::7%eth0]:443')).toBe(true);
    expect(inList('2001:db8:2::7')).toBe(false);
    expect(inList('127.0.0.1')).toBe(true);
    expect(inList('127.9.9.9')).toBe(true);
    expect(inList('::1')).toBe(true);
    expect(inList('10.1.255.3')).toBe(true);
    expect(inList('10.2.0.1')).toBe(false);
    expect(inList('unknown')).toBe(false);
    expect(inList('192.0.2.10, 203.0.113.7')).toBe(false);
    expect(inList('x'.repeat(10_000))).toBe(false);
  });

  it('matches nothing when empty', () => {
    expect(addressList([])('127.0.0.1')).toBe(false);
  });

  it('reads the bare address as the limiter groups it', () => {
    expect(bareAddress('[2001:db8::1%eth0]:443')).toBe('2001:db8:0:0:0:0:0:1');
    expect(bareAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(bareAddress('203.0.113.7:80')).toBe('203.0.113.7');
    expect(bareAddress('999.1.1.1:80')).toBeNull();
    expect(bareAddress('not-an-ip')).toBeNull();
  });

  it('is refused by the config for an entry that is no address, range or name', () => {
    const base = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } };
    expect(() => createConfig({ ...base, report: { lockoutExempt: ['everyone'] } })).toThrow(/lockoutExempt/);
    expect(createConfig({ ...base, report: { lockoutExempt: ['192.0.2.0/24', 'loopback'] } }).report.lockoutExempt).toEqual([
      '192.0.2.0/24',
      'loopback',
    ]);
    expect(createConfig(base).report.lockoutExempt).toEqual([]);
  });
});

describe('the sign-in limiter with exempt addresses', () => {
  const prefix = uniquePrefix('exempt');
  let redis: RedisClient;
  beforeAll(async () => {
    redis = openTestRedis();
    await redis.ping();
  });
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('never counts nor locks out an exempt address, while its /64 neighbour is locked out', async () => {
    const l = new FailureLimiter(() => signInFailures(redis, keySchema(prefix)), {
      max: 3,
      windowMs: 60_000,
      exempt: ['2001:db8:7:7::10'],
    });
    for (let i = 0; i < 5; i++) await l.attempt('2001:db8:7:7::66', false);
    expect(await l.attempt('2001:db8:7:7::66', true)).toBeGreaterThan(0);
    expect(await l.attempt('2001:db8:7:7::10', true)).toBe(0);
    expect(await l.attempt('2001:db8:7:7::10', false)).toBe(0);
    const key = keySchema(prefix).reportSignInFailures('2001:db8:7:7::/64');
    expect(await redis.get(key)).toBe('3');
    expect((await keysUnder(prefix)).length).toBe(1);
  });

  it('answers an exempt address without Redis (nothing to check), and still fails closed for others', async () => {
    const l = new FailureLimiter(() => null, { max: 3, windowMs: 60_000, exempt: ['loopback'] });
    expect(await l.attempt('127.0.0.1', true)).toBe(0);
    await expect(l.attempt('203.0.113.7', true)).rejects.toMatchObject({ status: 503 });
  });
});

describe('report.lockoutExempt in a running tandem', () => {
  let legacy: TestBackend;
  let exempt: TestTandem;
  let plain: TestTandem;
  beforeAll(async () => {
    legacy = await startBackend(() => null);
    exempt = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      report: { token: TEST_TOKEN, lockoutExempt: ['loopback'] },
    });
    plain = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url } });
  });
  afterAll(async () => {
    await exempt?.stop();
    await plain?.stop();
    await legacy?.close();
  });

  it('lets the operator at an exempt address in after any number of failures from it; without the list the same run locks it out', async () => {
    for (let i = 0; i < 12; i++) expect((await signIn(exempt, `wrong-${i}-0123456789abcdef`)).status).toBe(401);
    expect((await signIn(exempt, TEST_TOKEN)).status).toBe(200);
    const api = await fetch(`${exempt.reportUrl}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(api.status).toBe(200);

    for (let i = 0; i < 12; i++) await signIn(plain, `wrong-${i}-0123456789abcdef`);
    expect((await signIn(plain, TEST_TOKEN)).status).toBe(429);
  });
});
