import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

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

describe.each([
  ['trustProxy: 1 (one balancer)', 1 as const],
  ["trustProxy: [loopback] (the balancer's address)", ['loopback']],
])('the sign-in limiter behind a balancer, %s', (_name, trustProxy) => {
  let legacy: TestBackend;
  let t: TestTandem;
  let lb: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    legacy = await startBackend(() => null);
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url }, report: { token: TEST_TOKEN, trustProxy } });
    lb = await startBalancer(t.reportUrl);
  });
  afterAll(async () => {
    await lb?.close();
    await t?.stop();
    await legacy?.close();
  });

  const routes = (client: string, token: string, extra: Record<string, string> = {}) =>
    fetch(`${lb.url}/_tandem/api/routes`, { headers: { 'x-client': client, authorization: `Bearer ${token}`, ...extra } }).then(
      (r) => r.status,
    );

  it('limits each client by its own address, never a valid token, and cannot be fooled by a forged X-Forwarded-For', async () => {
    for (let i = 0; i < 10; i++) expect(await routes('203.0.113.7', `wrong-${i}-0123456789abcdef`)).toBe(401);
    expect(await routes('203.0.113.7', 'wrong-x-0123456789abcdef')).toBe(429);
    // The same client with a forged header is still itself (the balancer appends the real address last).
    expect(await routes('203.0.113.7', 'wrong-y-0123456789abcdef', { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    // Another client behind the same balancer is not locked out...
    expect(await routes('203.0.113.8', 'wrong-z-0123456789abcdef')).toBe(401);
    // ...and the right token always passes, from any client.
    expect(await routes('203.0.113.7', TEST_TOKEN)).toBe(200);
    const signIn = await fetch(`${lb.url}/_tandem/api/session`, {
      method: 'POST',
      headers: { 'x-client': '203.0.113.7', 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKEN }),
    });
    expect(signIn.status).toBe(200);
  });
});

describe('the sign-in limiter behind a balancer it does not trust (trustProxy: false, the default)', () => {
  let legacy: TestBackend;
  let t: TestTandem;
  let lb: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    legacy = await startBackend(() => null);
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: legacy.url } });
    lb = await startBalancer(t.reportUrl);
  });
  afterAll(async () => {
    await lb?.close();
    await t?.stop();
    await legacy?.close();
  });

  it('sees every client as the balancer, yet never rate-limits valid credentials', async () => {
    const routes = (client: string, token: string) =>
      fetch(`${lb.url}/_tandem/api/routes`, { headers: { 'x-client': client, authorization: `Bearer ${token}` } }).then((r) => r.status);
    for (let i = 0; i < 10; i++) expect(await routes('203.0.113.7', `wrong-${i}-0123456789abcdef`)).toBe(401);
    expect(await routes('203.0.113.8', 'wrong-z-0123456789abcdef')).toBe(429);
    expect(await routes('203.0.113.8', TEST_TOKEN)).toBe(200);
  });
});
