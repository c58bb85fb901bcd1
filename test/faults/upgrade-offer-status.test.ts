import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { raw } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, sumOf } from '../support/prom-text';

// An h2c offer served as the plain request under it is answered and counted as a plain request is.

const h2cOffer = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: tandem.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n` +
  `HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n${extra}\r\n`;

/** A raw legacy: `answer` decides what it writes for each request head (null: close without a word). */
async function rawLegacy(answer: (head: string) => string[] | null): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((s) => {
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      const out = answer(got);
      if (!out) return void s.end();
      for (const chunk of out) s.write(chunk);
      s.end();
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('h2c offers in tandem_requests_total', () => {
  let legacy: Awaited<ReturnType<typeof rawLegacy>>;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await rawLegacy((head) =>
      head.startsWith('GET /closes')
        ? null
        : ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'],
    );
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

  it('answers a 5xx and counts it when legacy closes without answering, as a plain request to that legacy is', async () => {
    const plain = await fetch(`${tandem.url}/closes-plain`);
    expect(plain.status).toBeGreaterThanOrEqual(502); // 504 on this build
    await plain.arrayBuffer();
    const out = await raw(tandem.url, h2cOffer('/closes'));
    expect(out).toMatch(/^HTTP\/1\.1 50[24] /);
    const samples = parseProm(await (await fetch(`${tandem.opsUrl}/metrics`)).text());
    expect(sumOf(samples, 'tandem_requests_total', { route: '(unmatched)', backend: 'legacy', status: '5xx' })).toBe(2);
  });

  it("counts legacy's final status, not an interim 100 Continue", async () => {
    const out = await raw(tandem.url, h2cOffer('/p/1', 'Expect: 100-continue\r\nContent-Length: 0\r\n'));
    expect(out).toContain('201 Created');
    const samples = parseProm(await (await fetch(`${tandem.opsUrl}/metrics`)).text());
    expect(sumOf(samples, 'tandem_requests_total', { route: 'p', backend: 'legacy', status: '2xx' })).toBe(1);
    expect(sumOf(samples, 'tandem_requests_total', { route: 'p', backend: 'legacy', status: '1xx' })).toBe(0);
  });
});
