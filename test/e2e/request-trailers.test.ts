import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { eventually } from './fidelity-support';

/** A legacy that records each request's body and raw trailers. */
interface Seen {
  url: string;
  body: string;
  trailers: string[];
}

/**
 * Trailers of a chunked request body reach legacy as the client sent them (names'
 * casing, order, repeats): http-proxy pipes the body and ends its request without them,
 * so a client's `Trailer:`-announced checksum or signature never reached legacy. Shadowed
 * and unmatched requests alike.
 */
describe('chunked request trailers', () => {
  let legacy: http.Server;
  let candidate: http.Server;
  let legacyUrl: string;
  let tandem: TestTandem;
  const seen: Seen[] = [];
  const record = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString(), trailers: req.rawTrailers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  };
  beforeAll(async () => {
    legacy = http.createServer(record);
    candidate = http.createServer((req, res) => (req.resume(), req.on('end', () => res.end('{"ok":true}'))));
    await Promise.all([legacy, candidate].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    legacyUrl = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`;
    tandem = await startTestTandem({
      legacy: { url: legacyUrl },
      candidate: { url: `http://127.0.0.1:${(candidate.address() as AddressInfo).port}` },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'POST /t/*', mirrorWrites: true }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    for (const s of [legacy, candidate]) s?.closeAllConnections();
    await Promise.all([legacy, candidate].map((s) => new Promise((r) => s?.close(r))));
  });

  it.each(['/t/shadowed', '/unmatched'])('relays them to legacy on %s', async (path) => {
    const u = new URL(tandem.url);
    const raw =
      `POST ${path} HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n` +
      'Trailer: X-Checksum, x-sig\r\nConnection: close\r\n\r\n7\r\n{"a":1}\r\n0\r\nX-Checksum: abc\r\nx-sig: 1\r\nx-sig: 2\r\n\r\n';
    const reply = await new Promise<string>((done, fail) => {
      const out: Buffer[] = [];
      const c = net.connect(Number(u.port), u.hostname, () => c.write(raw));
      c.on('data', (d: Buffer) => out.push(d));
      c.on('end', () => done(Buffer.concat(out).toString('latin1')));
      c.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    const got = await eventually(() => seen.find((s) => s.url === path));
    expect(got.body).toBe('{"a":1}');
    expect(got.trailers).toEqual(['X-Checksum', 'abc', 'x-sig', '1', 'x-sig', '2']);
  });
});
