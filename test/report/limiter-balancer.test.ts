import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { keysUnder } from '../support/redis';

/**
 * A load balancer in front of the report: every client reaches the report from the
 * balancer's address; the balancer appends the client's address (here: the test's
 * `x-client` header) to `X-Forwarded-For`, as nginx's `$proxy_add_x_forwarded_for` does.
 */
async function startBalancer(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const { 'x-client': client, ...headers } = req.headers;
    const xff = [headers['x-forwarded-for'], client].filter(Boolean).join(', ');
    const up = http.request(
      { hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...headers, 'x-forwarded-for': xff } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * A Tandem (legacy as both backends) with `report` options, its report behind
 * `startBalancer`; started before the suite's tests and stopped after them. `rig.lb.url` is
 * the balancer, `rig.t` the Tandem.
 */
function useBalancedReport(report?: Parameters<typeof startTestTandem>[0]['report']) {
  const rig = {} as { legacy: TestBackend; t: TestTandem; lb: { url: string; close(): Promise<void> } };
  beforeAll(async () => {
    rig.legacy = await startBackend(() => null);
    rig.t = await startTestTandem({ legacy: { url: rig.legacy.url }, candidate: { url: rig.legacy.url }, ...(report ? { report } : {}) });
    rig.lb = await startBalancer(rig.t.reportUrl);
  });
  afterAll(async () => {
    await rig.lb?.close();
    await rig.t?.stop();
    await rig.legacy?.close();
  });
  return rig;
}

describe.each([
  ['trustProxy: 1 (one balancer)', 1 as const],
  ["trustProxy: [loopback] (the balancer's address)", ['loopback']],
])('the sign-in limiter behind a balancer, %s', (_name, trustProxy) => {
  const rig = useBalancedReport({ token: TEST_TOKEN, trustProxy });

  const routes = (client: string, token: string, extra: Record<string, string> = {}) =>
    fetch(`${rig.lb.url}/_tandem/api/routes`, { headers: { 'x-client': client, authorization: `Bearer ${token}`, ...extra } }).then(
      (r) => r.status,
    );

  it('limits each client by its own address and cannot be fooled by a forged X-Forwarded-For', async () => {
    for (let i = 0; i < 10; i++) expect(await routes('203.0.113.7', `wrong-${i}-0123456789abcdef`)).toBe(401);
    expect(await routes('203.0.113.7', 'wrong-x-0123456789abcdef')).toBe(429);
    // The same client with a forged header is still itself (the balancer appends the real address last).
    expect(await routes('203.0.113.7', 'wrong-y-0123456789abcdef', { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    // Another client behind the same balancer is not locked out...
    expect(await routes('203.0.113.8', 'wrong-z-0123456789abcdef')).toBe(401);
    // ...and signs in with the right token, while the locked-out client cannot, even with it.
    const signIn = (client: string) =>
      fetch(`${rig.lb.url}/_tandem/api/session`, {
        method: 'POST',
        headers: { 'x-client': client, 'content-type': 'application/json' },
        body: JSON.stringify({ token: TEST_TOKEN }),
      }).then((r) => r.status);
    expect(await signIn('203.0.113.8')).toBe(200);
    expect(await routes('203.0.113.8', TEST_TOKEN)).toBe(200);
    expect(await signIn('203.0.113.7')).toBe(429);
    expect(await routes('203.0.113.7', TEST_TOKEN)).toBe(429);
  });
});

describe('the sign-in limiter behind a balancer it does not trust (trustProxy: false, the default)', () => {
  const rig = useBalancedReport();

  it('sees every client as the balancer, so one client over the limit locks out all of them, the right token too', async () => {
    const routes = (client: string, token: string) =>
      fetch(`${rig.lb.url}/_tandem/api/routes`, { headers: { 'x-client': client, authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );
    for (let i = 0; i < 10; i++) expect(await routes('203.0.113.7', `wrong-${i}-0123456789abcdef`)).toBe(401);
    expect(await routes('203.0.113.8', 'wrong-z-0123456789abcdef')).toBe(429);
    expect(await routes('203.0.113.8', TEST_TOKEN)).toBe(429);
  });
});

/**
 * An address over the limit is locked out: every attempt from it, the right token too, is
 * refused with 429 and Retry-After until its window ends, so a guess beyond the limit
 * cannot be told right from wrong (no oracle) and guessing cannot go on at full speed.
 * A successful sign-in clears nothing: failures go when their window ends.
 */
describe('an address over the limit is locked out (trustProxy: 1)', () => {
  const rig = useBalancedReport({ token: TEST_TOKEN, trustProxy: 1 });

  const signIn = (client: string, token: string) =>
    fetch(`${rig.lb.url}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'x-client': client, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  const routes = (client: string, token: string) =>
    fetch(`${rig.lb.url}/_tandem/api/routes`, { headers: { 'x-client': client, authorization: `Bearer ${token}` } });

  it('refuses the right token too, with 429 and Retry-After, by sign-in and by bearer token, answered as a wrong one is', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn('203.0.113.20', `wrong-${i}-0123456789abcdef`)).status).toBe(401);
    const right = await signIn('203.0.113.20', TEST_TOKEN);
    const wrong = await signIn('203.0.113.20', 'wrong-x-0123456789abcdef');
    expect(right.status).toBe(429);
    expect(wrong.status).toBe(429);
    for (const r of [right, wrong]) {
      const wait = Number(r.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
    }
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(((await right.json()) as { error: string }).error).toBe(((await wrong.json()) as { error: string }).error);
    expect((await routes('203.0.113.20', TEST_TOKEN)).status).toBe(429);
    // Many at once, right and wrong mixed: every one refused.
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signIn('203.0.113.20', i % 2 ? TEST_TOKEN : `wrong-b${i}-0123456789`)),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(6).fill(429));
    // Another address is not locked out.
    expect((await signIn('203.0.113.21', TEST_TOKEN)).status).toBe(200);
  });

  it('keeps an address failures when the right token is used from it (a polling script does not refill a guesser at the same address)', async () => {
    for (let i = 0; i < 9; i++) expect((await signIn('203.0.113.30', `wrong-${i}-0123456789abcdef`)).status).toBe(401);
    expect((await signIn('203.0.113.30', TEST_TOKEN)).status).toBe(200);
    expect((await routes('203.0.113.30', TEST_TOKEN)).status).toBe(200);
    expect((await signIn('203.0.113.30', 'again-0-0123456789abcdef')).status).toBe(401);
    expect((await signIn('203.0.113.30', 'again-1-0123456789abcdef')).status).toBe(429);
    expect((await signIn('203.0.113.30', TEST_TOKEN)).status).toBe(429);
  });
});

/**
 * One budget per IPv6 /64, not per address: a host or subscriber given a /64 has 2^64
 * addresses, which must not be 2^64 budgets (nor 2^64 Redis keys). An IPv4-mapped IPv6
 * address is its IPv4 address.
 */
describe('the sign-in limiter groups IPv6 addresses by /64 (trustProxy: 1)', () => {
  const rig = useBalancedReport({ token: TEST_TOKEN, trustProxy: 1 });

  const signIn = (client: string, token: string) =>
    fetch(`${rig.lb.url}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'x-client': client, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    }).then((r) => r.status);

  it('counts every address of one /64 against one budget and one Redis key, written in any form', async () => {
    const failureKeys = async () => (await keysUnder(rig.t.prefix)).filter((k) => k.includes('signin-failures'));
    const before = (await failureKeys()).length;
    const forms = [
      '2001:db8:7:8::1',
      '2001:DB8:7:8::2',
      '2001:db8:7:8:aaaa:bbbb:cccc:dddd',
      '2001:0db8:0007:0008:0000:0000:0000:00ff',
      '2001:db8:7:8:1::',
      '2001:db8:7:8:0:0:1.2.3.4',
      '2001:db8:7:8::abc',
      '2001:db8:7:8:ffff::ffff',
      '2001:Db8:7:8:9:a:B:c',
      '2001:db8:7:8::dead:beef',
    ];
    for (const [i, client] of forms.entries()) expect(await signIn(client, `wrong-${i}-0123456789abcdef`)).toBe(401);
    expect(await signIn('2001:db8:7:8:1234::5', 'wrong-x-0123456789abcdef')).toBe(429);
    expect(await signIn('2001:db8:7:8:ffff:ffff:ffff:ffff', TEST_TOKEN)).toBe(429);
    expect((await failureKeys()).length - before).toBe(1);
    // The next /64 has a budget of its own.
    expect(await signIn('2001:db8:7:9::1', TEST_TOKEN)).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await signIn('203.0.113.50', `wrong-a${i}-0123456789abcdef`)).toBe(401);
      expect(await signIn('::ffff:203.0.113.50', `wrong-b${i}-0123456789abcdef`)).toBe(401);
    }
    expect(await signIn('203.0.113.50', TEST_TOKEN)).toBe(429);
    expect(await signIn('::FFFF:203.0.113.50', TEST_TOKEN)).toBe(429);
    expect(await signIn('203.0.113.51', TEST_TOKEN)).toBe(200);
  });
});
