import type { Server } from 'node:net';
import { rawBytes, responseLines } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { ODD_HEAD_LINES, startRawResponder, startRecorder, type Recorder } from './fidelity-support';

/**
 * Legacy's response reaches the client as legacy wrote it: status line with its reason
 * phrase, header lines one by one (casing, order, repeated lines apart, obs-text bytes),
 * and a chunked body's trailers. Legacy here is a raw socket server, so every byte it
 * writes is chosen; the client reads raw bytes too.
 */
const HEAD_LINES = ODD_HEAD_LINES;

/** Legacy: the odd head on every path; chunked with trailers under /t/trailers, a Trailer beside a length under /t/length-trailer, 103 under /t/hints, 099 under /t/s099. */
const startRawLegacy = () =>
  startRawResponder((head) => {
    const chunked = / \/t\/trailers/.test(head);
    const framing = chunked
      ? ['Transfer-Encoding: chunked', 'Trailer: X-Sum']
      : head.includes('/t/length-trailer')
        ? ['Content-Length: 2', 'Trailer: X-Sum']
        : ['Content-Length: 2'];
    const lines = [...HEAD_LINES, ...framing];
    const body = head.startsWith('HEAD') ? '' : chunked ? '2\r\n{}\r\n0\r\nX-Sum: abc\r\nx-sum: def\r\n\r\n' : '{}';
    if (head.includes(' /t/hints'))
      return [
        'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nlink: </b.js>; rel=preload\r\n\r\n',
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}',
      ];
    if (head.includes(' /t/s099')) return 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\n{}';
    return `HTTP/1.1 203 Fine By Me\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
  });

describe("legacy's response, line for line", () => {
  let legacy: { server: Server; url: string };
  let candidate: Recorder;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startRawLegacy();
    candidate = await startRecorder();
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'GET /t/*' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await candidate?.close();
    legacy?.server.close();
  });

  const get = async (path: string, version = '1.1') =>
    responseLines(await rawBytes(tandem.url, `GET ${path} HTTP/${version}\r\nHost: shop.example\r\nConnection: close\r\n\r\n`));

  it('relays the status line and every header line as legacy wrote them, shadowed or not', async () => {
    for (const path of ['/t/lines', '/elsewhere']) {
      const res = await get(path);
      expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
      expect(res.lines).toEqual(['x-served-by: legacy', ...HEAD_LINES, 'Content-Length: 2']);
      expect(res.rest).toBe('{}');
    }
    const counters = await tandem.waitFor(async () => {
      const c = await tandem.counters('t');
      return c.compared ? c : undefined;
    });
    expect(counters).toMatchObject({ seen: 1, shadowed: 1, compared: 1 });
  });

  it('relays an interim 103 Early Hints head before the final one, as legacy wrote it; an HTTP/1.0 client gets none (RFC 9110 section 15.2)', async () => {
    const text = (await rawBytes(tandem.url, 'GET /t/hints HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n')).toString(
      'latin1',
    );
    expect(
      text.startsWith('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nlink: </b.js>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n'),
    ).toBe(true);
    const old = (await rawBytes(tandem.url, 'GET /t/hints HTTP/1.0\r\nHost: shop.example\r\n\r\n')).toString('latin1');
    expect(old.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  });

  it('answers 502 to a status line Node cannot write (099), counted as legacy_error; the proxy lives on', async () => {
    // Node's client reads any three digits, its server writes 100-999 only: writeHead threw, uncaught, and the proxy died.
    const res = await get('/t/s099');
    expect(res.status).toBe('HTTP/1.1 502 Bad Gateway');
    expect((await get('/t/lines')).status).toBe('HTTP/1.1 203 Fine By Me');
    const counters = await tandem.waitFor(async () => {
      const c = await tandem.counters('t');
      return c['skipped:legacy_error'] ? c : undefined;
    });
    expect(counters['skipped:legacy_error']).toBe(1);
  });

  it("relays a chunked body's trailers, names, casing and repeats as legacy wrote them", async () => {
    const res = await get('/t/trailers');
    expect(res.lines).toEqual(['x-served-by: legacy', ...HEAD_LINES, 'Transfer-Encoding: chunked', 'Trailer: X-Sum']);
    expect(res.rest).toBe('2\r\n{}\r\n0\r\nX-Sum: abc\r\nx-sum: def\r\n\r\n');
  });

  it('gives an HTTP/1.0 client the body unchunked (it cannot read chunks), without the Trailer line it cannot get; the proxy lives on', async () => {
    // Node refuses to write a Trailer line on a response it does not chunk: it threw in the proxy, which died.
    const res = await get('/t/trailers', '1.0');
    expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(res.lines).toEqual(['x-served-by: legacy', ...HEAD_LINES]);
    expect(res.rest).toBe('{}');
    const length = await get('/t/length-trailer');
    expect(length.lines).toEqual(['x-served-by: legacy', ...HEAD_LINES, 'Content-Length: 2']);
    expect(length.rest).toBe('{}');
    const head = responseLines(await rawBytes(tandem.url, 'HEAD /t/trailers HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n'));
    expect(head.lines).toEqual(['x-served-by: legacy', ...HEAD_LINES, 'Transfer-Encoding: chunked', 'Trailer: X-Sum']);
    expect(head.rest).toBe('');
    expect((await get('/t/lines')).status).toBe('HTTP/1.1 203 Fine By Me');
  });
});

describe("legacy's response served as the candidate's fallback, line for line", () => {
  let legacy: { server: Server; url: string };
  let candidate: Recorder;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startRawLegacy();
    candidate = await startRecorder(() => ({ status: 503, body: '{"error":"down"}' }));
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'GET /t/*', phase: 'candidate' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await candidate?.close();
    legacy?.server.close();
  });

  it('relays the status line, every header line and the trailers as legacy wrote them', async () => {
    const lines = responseLines(await rawBytes(tandem.url, 'GET /t/lines HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n'));
    expect(lines.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(lines.lines).toEqual(['x-served-by: legacy-fallback', ...HEAD_LINES, 'Content-Length: 2']);
    expect(lines.rest).toBe('{}');
    const chunked = responseLines(
      await rawBytes(tandem.url, 'GET /t/trailers HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n'),
    );
    expect(chunked.lines).toEqual(['x-served-by: legacy-fallback', ...HEAD_LINES, 'Transfer-Encoding: chunked', 'Trailer: X-Sum']);
    expect(chunked.rest).toBe('2\r\n{}\r\n0\r\nX-Sum: abc\r\nx-sum: def\r\n\r\n');
    expect(
      responseLines(await rawBytes(tandem.url, 'GET /t/s099 HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n')).status,
    ).toBe('HTTP/1.1 502 Bad Gateway');
    const old = responseLines(await rawBytes(tandem.url, 'GET /t/trailers HTTP/1.0\r\nHost: shop.example\r\n\r\n'));
    expect(old.lines).toEqual(['x-served-by: legacy-fallback', ...HEAD_LINES]);
    expect(old.rest).toBe('{}');
    const counters = await tandem.waitFor(async () => {
      const c = await tandem.counters('t');
      return c.seen === 4 && c.compared === 3 ? c : undefined;
    });
    expect(counters).toMatchObject({ seen: 4, compared: 3 });
  });
});
