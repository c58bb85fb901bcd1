import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { startTestTandem, type TestTandem } from '../support/tandem';
import {
  HEADER_OR_BODY_ROUTES,
  HEADER_OR_BODY_TRANSLATORS,
  writeTranslatorModule,
  type TranslatorModule,
} from '../support/translator-module';
import { eventually, recordedPair, startRecorder, valueOf, type Recorder } from './fidelity-support';

/**
 * A body sent with transfer codings besides chunked (`Transfer-Encoding: gzip, chunked`)
 * reaches the candidate in those codings, as it reaches legacy: the candidate was sent the
 * de-chunked gzip bytes with a Content-Length and no Transfer-Encoding, i.e. gzip bytes it
 * would read as a plain body.
 */
describe('transfer codings besides chunked', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });

  it('relays `gzip, chunked` to the candidate with its codings, as to legacy', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    const reply = await sendGzipChunked(p.tandem.url, '/t/gz', gz);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    const toLegacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/gz' && !valueOf(r.headers, 'x-tandem-shadow')));
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('gzip, chunked');
    const toCandidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/gz'));
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBe('gzip, chunked');
    expect(valueOf(toCandidate.headers, 'content-length')).toBeUndefined();
    expect(toCandidate.body.equals(gz)).toBe(true);
    expect(toCandidate.headers.map(([n]) => n.toLowerCase()).slice(0, 3)).toEqual(['host', 'content-type', 'transfer-encoding']);

    const counters = await p.tandem.waitFor(async () => {
      const c = await p.tandem.counters('t');
      return c.compared === 1 && c;
    });
    expect(counters).toMatchObject({ seen: 1, compared: 1, match: 1 });
  });
});

/**
 * The same body through a request translator: one that leaves the body alone (it changes
 * a header) sends the client's bytes, so they go in the client's codings too (the candidate
 * was sent the gzip bytes with a Content-Length, as a plain body); one that changes the
 * body sends its own plain bytes with a Content-Length.
 */
describe('transfer codings besides chunked, through a request translator', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;
  let module: TranslatorModule;
  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    module = writeTranslatorModule(HEADER_OR_BODY_TRANSLATORS);
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      translators: [module.path],
      routes: HEADER_OR_BODY_ROUTES,
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    module?.remove();
  });

  it('keeps the codings when the translator leaves the body alone', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    expect(await sendGzipChunked(tandem.url, '/header/gz', gz)).toMatch(/^HTTP\/1\.1 200 /);
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/header/gz'));
    expect(valueOf(toCandidate.headers, 'x-touched')).toBe('1');
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBe('gzip, chunked');
    expect(valueOf(toCandidate.headers, 'content-length')).toBeUndefined();
    expect(toCandidate.body.equals(gz)).toBe(true);
  });

  it('sends a changed body plain, with a Content-Length', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    expect(await sendGzipChunked(tandem.url, '/body/gz', gz)).toMatch(/^HTTP\/1\.1 200 /);
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/body/gz'));
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBeUndefined();
    expect(toCandidate.body.toString()).toBe('{"replaced":true}');
    expect(valueOf(toCandidate.headers, 'content-length')).toBe(String(toCandidate.body.length));
  });
});

/**
 * A translator that maps the body gets it with the transfer codings undone (it was handed
 * the gzip bytes, so a JSON translator could not work on such a request); a body in a coding
 * Tandem does not know, or one that does not decode, is a translation error, counted, while
 * the client still gets legacy's answer.
 */
describe('transfer codings besides chunked, for a body-mapping translator', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;
  let module: TranslatorModule;
  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    module = writeTranslatorModule(
      `module.exports = [{ name: 'map', request: (r) => ({ ...r, body: { got: r.body, te: r.headers['transfer-encoding'] ?? null } }) }];\n`,
    );
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      translators: [module.path],
      routes: [{ name: 'map', match: 'POST /map/*', mirrorWrites: true, translator: 'map' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    module?.remove();
  });

  it('hands the translator the decoded body and sends its output plain', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    expect(await sendGzipChunked(tandem.url, '/map/gz', gz)).toMatch(/^HTTP\/1\.1 200 /);
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/map/gz'));
    expect(JSON.parse(toCandidate.body.toString())).toEqual({ got: { a: 1 }, te: null });
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBeUndefined();
    expect(valueOf(toCandidate.headers, 'content-length')).toBe(String(toCandidate.body.length));
  });

  it('counts an unknown transfer coding and a body that does not decode as translation errors', async () => {
    expect(await sendGzipChunked(tandem.url, '/map/unknown', Buffer.from('{"a":1}'), 'x-unknown, chunked')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await sendGzipChunked(tandem.url, '/map/corrupt', Buffer.from('not gzip at all'))).toMatch(/^HTTP\/1\.1 200 /);
    const counters = await tandem.waitFor(async () => {
      const c = await tandem.counters('map');
      return c.translation_error === 2 && c;
    });
    expect(counters).toMatchObject({ translation_error: 2 });
    expect(candidate.received.find((r) => r.url === '/map/unknown' || r.url === '/map/corrupt')).toBeUndefined();
  });
});

/** A POST whose body is `gz` under `Transfer-Encoding: gzip, chunked`, written by hand; the reply as Latin-1. */
function sendGzipChunked(base: string, path: string, gz: Buffer, te = 'gzip, chunked'): Promise<string> {
  const u = new URL(base);
  const head = `POST ${path} HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: ${te}\r\nConnection: close\r\n\r\n`;
  return new Promise<string>((done, fail) => {
    const out: Buffer[] = [];
    const c = net.connect(Number(u.port), u.hostname, () =>
      c.write(Buffer.concat([Buffer.from(head + gz.length.toString(16) + '\r\n'), gz, Buffer.from('\r\n0\r\n\r\n')])),
    );
    c.on('data', (d: Buffer) => out.push(d));
    c.on('end', () => done(Buffer.concat(out).toString('latin1')));
    c.on('error', fail);
  });
}

/**
 * When the candidate serves the client (phase `candidate`), legacy's comparison call is
 * built from the buffered body too: a `gzip, chunked` body went to legacy de-chunked with a
 * Content-Length and no Transfer-Encoding, gzip bytes it would read as a plain body.
 */
describe('transfer codings besides chunked, in phase candidate', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true, phase: 'candidate' } });

  it('relays `gzip, chunked` to legacy and to the serving candidate with its codings', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    const reply = await sendGzipChunked(p.tandem.url, '/t/served', gz);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    for (const side of [p.legacy, p.candidate]) {
      const got = await eventually(() => side.received.find((r) => r.url === '/t/served'));
      expect(valueOf(got.headers, 'transfer-encoding')).toBe('gzip, chunked');
      expect(valueOf(got.headers, 'content-length')).toBeUndefined();
      expect(got.body.equals(gz)).toBe(true);
    }
  });
});
