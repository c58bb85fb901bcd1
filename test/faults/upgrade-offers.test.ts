import { startBackend, type TestBackend } from '../support/backends';
import { raw } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, sumOf } from '../support/prom-text';

/** What `curl --http2 http://...` sends: an h2c upgrade offer. */
const h2cOffer = (method: string, path: string, body = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: tandem.test\r\nUser-Agent: curl/8.5.0\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n` +
  `HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n${body ? `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\n` : ''}\r\n${body}`;

describe('upgrade offers other than a WebSocket handshake', () => {
  let legacy: TestBackend;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { url: r.url, method: r.method, body: r.body, upgrade: r.headers.upgrade ?? null } }));
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await legacy?.close();
  });

  it('serves an h2c offer as the plain request, exactly as legacy answers, on matched and unmatched paths', async () => {
    for (const path of ['/p/1', '/elsewhere']) {
      const out = await raw(tandem.url, h2cOffer('GET', path));
      expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ''))).toEqual({
        url: path,
        method: 'GET',
        body: '',
        upgrade: null,
      });
    }
  });

  it('relays the body of an offer that carries one', async () => {
    const out = await raw(tandem.url, h2cOffer('POST', '/submit', 'hello'));
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out).toContain('"body":"hello"');
  });

  it('counts an offer on a shadowed route as seen and skipped:upgrade', async () => {
    await tandem.waitFor(async () => ((await tandem.counters('p'))['skipped:upgrade'] ?? 0) >= 1);
    expect(await tandem.counters('p')).toMatchObject({ seen: 1, 'skipped:upgrade': 1 });
  });

  // Found by the generated hostile suite: http-proxy-middleware's `ws: true` subscribed its own
  // upgrade listener on the first proxied request, and every later h2c offer got an empty reply.
  it('still serves an h2c offer after plain requests went through the proxy', async () => {
    const plain = await fetch(`${tandem.url}/p/2`);
    expect(plain.status).toBe(200);
    await plain.arrayBuffer();
    const out = await raw(tandem.url, h2cOffer('GET', '/p/3'));
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out).toContain('"url":"/p/3"');
  });

  // Every request the proxy answers is in tandem_requests_total: the h2c offers (/p/1, /p/3) and the plain /p/2 on
  // route p, the offers to /elsewhere and /submit unmatched, each with the status legacy gave.
  it('counts every answered offer in tandem_requests_total, on its route or unmatched', async () => {
    const samples = parseProm(await (await fetch(`${tandem.opsUrl}/metrics`)).text());
    expect(sumOf(samples, 'tandem_requests_total', { route: 'p', backend: 'legacy', status: '2xx' })).toBe(3);
    expect(sumOf(samples, 'tandem_requests_total', { route: '(unmatched)', backend: 'legacy', status: '2xx' })).toBe(2);
    expect((await tandem.counters('p')).seen).toBe(3);
  });
});
