import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { tandem, type TandemMiddleware } from '../../src/ingress';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordedPair, startRecorder, valueOf, type Recorder } from './fidelity-support';

/** Write `raw` on a fresh connection to `base`; the bytes read until the server closes it, or after `ms` when it does not. */
function exchange(base: string, raw: string | Buffer, ms = 3000): Promise<string> {
  const u = new URL(base);
  return new Promise((done, fail) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(raw));
    let out = '';
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('close', () => (clearTimeout(timer), done(out)));
    socket.on('error', fail);
  });
}

const FILLER = 1100;
const fillerLines = Array.from({ length: FILLER }, (_, i) => `X-F${i}: ${i}\r\n`).join('');

/**
 * Node's HTTP parser keeps about the first 1,000 header lines of a message and drops the
 * rest without a word, while it still frames the body by the lines it dropped. A client
 * putting its Content-Length after 1,100 short lines (7 KB, well under the 16 KB head limit)
 * had its body relayed to legacy with no framing line: legacy read the body as a request of
 * its own on Tandem's pooled keep-alive connection, and its answer went to the next client
 * whose request took that connection (request smuggling, response queue poisoning). Legacy
 * answering with more than 1,000 header lines had the rest dropped from the client's answer.
 */
describe('a message with more than 1,000 header lines', () => {
  const p = recordedPair({
    legacy: (r) =>
      r.url === '/t/many-answer'
        ? {
            headers: [
              ['Content-Type', 'application/json'],
              ...Array.from({ length: FILLER }, (_, i): [string, string] => [`X-L${i}`, String(i)]),
              ['X-Last', 'kept'],
            ],
          }
        : {},
  });

  it('reaches legacy and the candidate with every line, its body framed as the client framed it', async () => {
    const smuggled = 'GET /t/smuggled HTTP/1.1\r\nHost: a.example\r\n\r\n';
    const raw = `GET /t/x HTTP/1.1\r\nHost: a.example\r\n${fillerLines}Content-Length: ${smuggled.length}\r\nConnection: close\r\n\r\n${smuggled}`;
    const answer = await exchange(p.tandem.url, raw);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    // Another client's request on Tandem's pooled connection to legacy gets its own answer.
    const next = await fetch(`${p.tandem.url}/t/next`);
    expect(next.status).toBe(200);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 2);
    expect(p.legacy.received.map((r) => r.url)).toEqual(['/t/x', '/t/next']);
    const [legacy] = p.legacy.received;
    expect(legacy.body.toString('latin1')).toBe(smuggled);
    expect(legacy.headers.filter(([n]) => n.startsWith('X-F'))).toHaveLength(FILLER);
    expect(valueOf(legacy.headers, 'content-length')).toBe(String(smuggled.length));
    await p.tandem.waitFor(async () => p.candidate.received.length === 2);
    const candidate = p.candidate.received.find((r) => r.url === '/t/x')!;
    expect(candidate.body.toString('latin1')).toBe(smuggled);
    expect(candidate.headers.filter(([n]) => n.startsWith('X-F'))).toHaveLength(FILLER);
    expect(p.candidate.received.map((r) => r.url).sort()).toEqual(['/t/next', '/t/x']);
  });

  it("gives the client every header line of legacy's answer", async () => {
    const answer = await exchange(p.tandem.url, 'GET /t/many-answer HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
    const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head.split('\r\n').filter((l) => /^X-L\d+: /.test(l))).toHaveLength(FILLER);
    expect(head).toContain('\r\nX-Last: kept');
    expect(answer.endsWith('{"ok":true}')).toBe(true);
  });
});

describe("tandem() on a host app's server that keeps Node's default header count", () => {
  const prefix = uniquePrefix('cutlines');
  let legacy: Recorder;
  let candidate: Recorder;
  let mw: TandemMiddleware;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    const app = express();
    mw = tandem(
      {
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { url: TEST_REDIS_URL, prefix },
        log: { level: 'silent' },
        routes: [{ name: 't', match: 'GET /t/*' }],
      },
      { worker: false },
    );
    app.use(mw);
    await mw.ready;
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await mw?.close();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
  });

  it('answers 431 to a request whose lines it may have cut, as a request and as an upgrade offer; neither backend gets it', async () => {
    const body = 'GET /t/smuggled HTTP/1.1\r\nHost: a.example\r\n\r\n';
    const cut = await exchange(url, `GET /t/x HTTP/1.1\r\nHost: a.example\r\n${fillerLines}Content-Length: ${body.length}\r\n\r\n${body}`);
    expect(cut).toMatch(/^HTTP\/1\.1 431 /);
    expect(cut).toContain('"error":"too_many_header_lines"');
    const offer = await exchange(
      url,
      `GET /t/h2c HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n${fillerLines}\r\n`,
    );
    expect(offer).toMatch(/^HTTP\/1\.1 431 /);
    // A request with fewer lines than the server keeps is relayed as always.
    const whole = await exchange(url, 'GET /t/y HTTP/1.1\r\nHost: a.example\r\nX-A: 1\r\nConnection: close\r\n\r\n');
    expect(whole).toMatch(/^HTTP\/1\.1 200 /);
    expect(legacy.received.map((r) => r.url)).toEqual(['/t/y']);
  });
});
