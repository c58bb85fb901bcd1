import type { Server } from 'node:net';
import { rawBytes, responseLines } from '../support/raw-http';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { writeTranslatorModule, type TranslatorModule } from '../support/translator-module';
import { ODD_HEAD_LINES, startRawResponder, startRecorder, type Recorder } from './fidelity-support';

/**
 * A candidate-phase customer gets the candidate's response as the candidate wrote it
 * (relay, don't rebuild): its reason phrase, its header lines one by one (casing, order,
 * repeated lines apart, obs-text bytes), not a header map Node writes with its own
 * reason phrase, one line per name. The candidate is a raw socket server, so every
 * byte it writes is chosen; the client reads raw bytes too.
 */
const HEAD_LINES = ODD_HEAD_LINES;

/** The candidate: the odd head on every path; chunked with a trailer under /t/chunked, 099 under /t/s099, a Location naming itself under /t/moved. */
const startRawCandidate = () =>
  startRawResponder((head, url) => {
    const chunked = head.includes(' /t/chunked');
    const framing = chunked ? ['Transfer-Encoding: chunked', 'Trailer: X-Sum', 'Connection: X-Hop', 'X-Hop: 1'] : ['Content-Length: 2'];
    const body = head.startsWith('HEAD') ? '' : chunked ? '2\r\n{}\r\n0\r\nX-Sum: abc\r\n\r\n' : '{}';
    const status = head.includes(' /t/s099') ? '099 Odd' : '203 Fine By Me';
    // A Location naming the candidate's own address, which the client must not see.
    const moved = head.includes(' /t/moved') ? [`location: ${url}/x`] : [];
    const lines = [...HEAD_LINES, ...moved, ...framing];
    return `HTTP/1.1 ${status}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
  });

describe("the candidate's served response, line for line", () => {
  let candidate: { server: Server; url: string };
  let legacy: Recorder;
  let tandem: TestTandem;

  beforeAll(async () => {
    candidate = await startRawCandidate();
    legacy = await startRecorder(() => ({ status: 200, body: '{}' }));
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: '* /t/*', phase: 'candidate' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await legacy?.close();
    candidate?.server.close();
  });

  const send = async (method: string, path: string, version = '1.1') =>
    responseLines(await rawBytes(tandem.url, `${method} ${path} HTTP/${version}\r\nHost: shop.example\r\nConnection: close\r\n\r\n`));

  it('serves the status line and every header line as the candidate wrote them', async () => {
    const res = await send('GET', '/t/lines');
    expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(res.lines).toEqual([...HEAD_LINES, 'Content-Length: 2', 'x-served-by: candidate']);
    expect(res.rest).toBe('{}');
    const old = await send('GET', '/t/lines', '1.0');
    expect(old.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(old.lines).toEqual([...HEAD_LINES, 'Content-Length: 2', 'x-served-by: candidate']);
  });

  it("serves a chunked body's trailers as the candidate wrote them, less its connection options (RFC 9110 section 7.6.1)", async () => {
    const res = await send('GET', '/t/chunked');
    expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(res.lines).toEqual([...HEAD_LINES, 'Trailer: X-Sum', 'x-served-by: candidate', 'Transfer-Encoding: chunked']);
    expect(res.rest).toBe('2\r\n{}\r\n0\r\nX-Sum: abc\r\n\r\n');
    // An HTTP/1.0 client cannot read chunks: the body with its length, no Trailer line (Node refuses one on an unchunked body).
    const old = await send('GET', '/t/chunked', '1.0');
    expect(old.lines).toEqual([...HEAD_LINES, 'content-length: 2', 'x-served-by: candidate']);
    expect(old.rest).toBe('{}');
    const head = await send('HEAD', '/t/chunked');
    expect(head.lines).toEqual([...HEAD_LINES, 'x-served-by: candidate']);
  });

  it('answers HEAD with the lines, no body', async () => {
    const res = await send('HEAD', '/t/lines');
    expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
    expect(res.lines).toEqual([...HEAD_LINES, 'x-served-by: candidate']);
    expect(res.rest).toBe('');
  });

  it('falls back to legacy on a status Node cannot write (099); the proxy lives on', async () => {
    const res = await send('GET', '/t/s099');
    expect(res.status).toBe('HTTP/1.1 200 OK');
    expect(res.lines).toContain('x-served-by: legacy-fallback');
    expect((await send('GET', '/t/lines')).status).toBe('HTTP/1.1 203 Fine By Me');
  });

  it("rebuilds only the name it changed: a Location naming the candidate's address, at its place", async () => {
    const res = await send('GET', '/t/moved');
    expect(res.lines).toEqual([...HEAD_LINES, 'location: http://shop.example/x', 'Content-Length: 2', 'x-served-by: candidate']);
  });
});

describe("the candidate's served response through a response translator", () => {
  let candidate: { server: Server; url: string };
  let legacy: Recorder;
  let tandem: TestTandem;
  let module: TranslatorModule;

  beforeAll(async () => {
    candidate = await startRawCandidate();
    legacy = await startRecorder(() => ({ status: 200, body: '{}' }));
    module = writeTranslatorModule(`module.exports = [
  { name: 'dup', response: (r) => ({ ...r, headers: { ...r.headers, 'x-dup': 'joined' } }) },
  { name: 'status', response: (r) => ({ ...r, status: 200, body: { a: 1 } }) },
];
`);
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      translators: [module.path],
      queue: { lingerMs: 0 },
      routes: [
        { name: 'dup', match: 'GET /t/dup', phase: 'candidate', translator: 'dup' },
        { name: 'status-chunked', match: 'GET /t/chunked', phase: 'candidate', translator: 'status' },
        { name: 'status', match: 'GET /t/status', phase: 'candidate', translator: 'status' },
      ],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await legacy?.close();
    candidate?.server.close();
    module?.remove();
  });

  const get = async (path: string) =>
    responseLines(await rawBytes(tandem.url, `GET ${path} HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n`));

  it('serves the translated value of a header it changed, at its first line, the other lines as written', async () => {
    const res = await get('/t/dup');
    expect(res.status).toBe('HTTP/1.1 203 Fine By Me');
    const others = HEAD_LINES.filter((l) => !/^x-dup:/i.test(l));
    expect(res.lines).toEqual([...others.slice(0, 1), 'X-Dup: joined', ...others.slice(1), 'Content-Length: 2', 'x-served-by: candidate']);
  });

  it("gives a changed status Node's reason phrase, and a changed body its own length", async () => {
    const res = await get('/t/status');
    expect(res.status).toBe('HTTP/1.1 200 OK');
    expect(res.lines).toEqual([...HEAD_LINES, 'Content-Length: 7', 'x-served-by: candidate']);
    expect(res.rest).toBe('{"a":1}');
    // Trailers (a checksum, a signature) were over the candidate's bytes, not these: left out, with their Trailer line.
    const chunked = await get('/t/chunked');
    expect(chunked.lines).toEqual([...HEAD_LINES, 'content-length: 7', 'x-served-by: candidate']);
    expect(chunked.rest).toBe('{"a":1}');
  });
});
