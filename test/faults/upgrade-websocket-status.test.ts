import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { raw } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, sumOf } from '../support/prom-text';

// A WebSocket handshake proxied to legacy is counted once in tandem_requests_total, with the
// status it ended with: 101, legacy's refusal, or 502 when legacy broke off without a status.

const handshake = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: tandem.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

/** A raw legacy: switches protocols on /ws/ok (then closes), refuses /ws/no with a 403, closes /ws/closes without a word. */
async function rawLegacy(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      if (got.startsWith('GET /ws/ok')) s.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      else if (got.startsWith('GET /ws/no')) s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno');
      else s.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

describe('WebSocket handshakes in tandem_requests_total', () => {
  let legacy: Awaited<ReturnType<typeof rawLegacy>>;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await rawLegacy();
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'ws', match: 'GET /ws/:kind' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await legacy?.close();
  });

  const counted = async () => {
    const samples = parseProm(await (await fetch(`${tandem.opsUrl}/metrics`)).text());
    const n = (status: string) => sumOf(samples, 'tandem_requests_total', { route: 'ws', backend: 'legacy', status });
    return { '1xx': n('1xx'), '2xx': n('2xx'), '4xx': n('4xx'), '5xx': n('5xx') };
  };

  it('counts a switched handshake as 1xx, a refused one with legacy status, and one legacy broke off as 5xx, each once', async () => {
    expect(await raw(tandem.url, handshake('/ws/ok'))).toMatch(/^HTTP\/1\.1 101 /);
    expect(await counted()).toEqual({ '1xx': 1, '2xx': 0, '4xx': 0, '5xx': 0 });
    expect(await raw(tandem.url, handshake('/ws/no'))).toMatch(/^HTTP\/1\.1 403 /);
    expect(await counted()).toEqual({ '1xx': 1, '2xx': 0, '4xx': 1, '5xx': 0 });
    await raw(tandem.url, handshake('/ws/closes'));
    await tandem.waitFor(async () => (await counted())['5xx'] === 1, 5_000);
    expect(await counted()).toEqual({ '1xx': 1, '2xx': 0, '4xx': 1, '5xx': 1 });
  });
});
