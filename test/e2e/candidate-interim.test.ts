import type { Server } from 'node:net';
import { rawBytes } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { startRawResponder } from './fidelity-support';

/**
 * A candidate-phase customer gets the interim (1xx) heads of whoever serves it, as a
 * legacy-served one gets legacy's (RFC 9110 section 15.2): the candidate's `103 Early
 * Hints` before its final answer, within the same 16 KB bound as the reader's; legacy's
 * when legacy alone serves. Both backends are raw socket servers, so every byte is chosen.
 */
const HINTS = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nlink: </b.js>; rel=preload\r\n\r\n';
/** One ~1 KB interim head: 17 of them pass the 16 KB bound. */
const BIG_HINT = `HTTP/1.1 103 Early Hints\r\nLink: </${'a'.repeat(1000)}.css>; rel=preload\r\n\r\n`;

/** A backend answering `{}` as `who`, after what the path asks: /t/hints, /t/flood (17 big hints), /t/continue (an unasked 100). */
const startBackend = (who: string) =>
  startRawResponder((head) => {
    // The raw responder splits on blank lines only: a chunked request body's end is no request.
    if (!/^[A-Z]+ /.test(head)) return '';
    const final = `HTTP/1.1 200 OK\r\nX-Who: ${who}\r\nContent-Length: 2\r\n\r\n{}`;
    if (head.includes(' /t/hints')) return [HINTS, final];
    if (head.includes(' /t/flood')) return [BIG_HINT.repeat(17), final];
    if (head.includes(' /t/continue')) return ['HTTP/1.1 100 Continue\r\n\r\n', final];
    return final;
  });

describe("a candidate-phase customer's interim heads", () => {
  let candidate: { server: Server; url: string };
  let legacy: { server: Server; url: string };
  let tandem: TestTandem;

  beforeAll(async () => {
    candidate = await startBackend('candidate');
    legacy = await startBackend('legacy');
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: 1024 },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: '* /t/*', phase: 'candidate' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    candidate?.server.close();
    legacy?.server.close();
  });

  const send = async (text: string) => (await rawBytes(tandem.url, text)).toString('latin1');

  it("relays the candidate's 103 Early Hints before its final answer, as it wrote them; an HTTP/1.0 client gets none", async () => {
    const text = await send('GET /t/hints HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n');
    expect(text.startsWith(`${HINTS}HTTP/1.1 200 OK\r\n`)).toBe(true);
    expect(text).toMatch(/\r\nX-Who: candidate\r\n/);
    const old = await send('GET /t/hints HTTP/1.0\r\nHost: shop.example\r\n\r\n');
    expect(old.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(old).toMatch(/\r\nX-Who: candidate\r\n/);
  });

  it('relays at most 16 KB of interim heads: a candidate sending more is a failure, and legacy serves', async () => {
    const text = await send('GET /t/flood HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n');
    const final = text.indexOf('HTTP/1.1 200 OK\r\n');
    const interim = text.slice(0, final);
    expect(interim.length).toBeGreaterThan(0);
    expect(interim.length).toBeLessThanOrEqual(16 * 1024);
    expect(interim).toBe(BIG_HINT.repeat(interim.length / BIG_HINT.length));
    expect(text.slice(final)).toMatch(/\r\nX-Who: legacy\r\n/);
    expect(text).toMatch(/\r\nx-served-by: legacy-fallback\r\n/);
  });

  it("relays legacy's interim heads when legacy alone serves (a chunked body over the cap)", async () => {
    const chunk = 'x'.repeat(2000);
    const text = await send(
      `POST /t/hints HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(text.startsWith(`${HINTS}HTTP/1.1 200 OK\r\n`)).toBe(true);
    expect(text).toMatch(/\r\nX-Who: legacy\r\n/);
  });

  it("answers a client's Expect: 100-continue once (Node's own answer), not again for a candidate's 100", async () => {
    const text = await send(
      'POST /t/continue HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{}',
    );
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text.split('100 Continue')).toHaveLength(2);
    expect(text).toMatch(/\r\nX-Who: candidate\r\n/);
  });
});
