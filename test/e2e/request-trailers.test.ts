import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { RequestRecord } from '../../src/records';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import {
  HEADER_OR_BODY_ROUTES,
  HEADER_OR_BODY_TRANSLATORS,
  writeTranslatorModule,
  type TranslatorModule,
} from '../support/translator-module';
import { eventually, recordedPair, startRecorder, valueOf, without, type Pairs, type Recorder } from './fidelity-support';

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

/** A chunked POST with trailers, written by hand (Node's client cannot send `Trailer` lines as given); the reply as Latin-1. */
function sendWithTrailers(base: string, path: string, extra = '', extraTrailer = ''): Promise<string> {
  const u = new URL(base);
  const raw =
    `POST ${path} HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n` +
    `Trailer: X-Checksum, x-sig\r\n${extra}Connection: close\r\n\r\n7\r\n{"a":1}\r\n0\r\nX-Checksum: abc\r\nx-sig: 1\r\nx-sig: 2\r\n${extraTrailer}\r\n`;
  return new Promise<string>((done, fail) => {
    const out: Buffer[] = [];
    const c = net.connect(Number(u.port), u.hostname, () => c.write(raw));
    c.on('data', (d: Buffer) => out.push(d));
    c.on('end', () => done(Buffer.concat(out).toString('latin1')));
    c.on('error', fail);
  });
}

const MARKS = ['x-tandem-shadow', 'x-tandem-replay', 'connection'];
const SIG: Pairs = [
  ['X-Checksum', 'abc'],
  ['x-sig', '1'],
  ['x-sig', '2'],
];

/**
 * The candidate's copy of a chunked request with trailers is what legacy got: chunked, the
 * same header lines (`Transfer-Encoding`, `Trailer` kept) and the same trailers. It was sent
 * with a Content-Length and no trailers. The stored record keeps them (redacted like
 * headers) and a replay sends them again.
 */
describe('chunked request trailers to the candidate', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  it('relays them to the candidate as legacy got them, stores them and replays them', async () => {
    expect(await sendWithTrailers(p.tandem.url, '/t/sum', 'Authorization: Bearer s3cret\r\n', 'X-Api-Key: t0psecret\r\n')).toMatch(
      /^HTTP\/1\.1 200 /,
    );
    const toLegacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/sum'));
    const toCandidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/sum'));
    const sent: Pairs = [...SIG, ['X-Api-Key', 't0psecret']];
    expect(toLegacy.trailers).toEqual(sent);
    expect(toCandidate.trailers).toEqual(sent);
    expect(without(toCandidate.headers, [...MARKS, 'host'])).toEqual(without(toLegacy.headers, [...MARKS, 'host']));
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBe('chunked');
    expect(valueOf(toCandidate.headers, 'content-length')).toBeUndefined();
    expect(toCandidate.body.toString()).toBe('{"a":1}');

    type Row = { exchange: { id: string; request: RequestRecord; candidateRequest?: RequestRecord } };
    const row = await eventually(async () => {
      const rows = (await (
        await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, { headers: auth })
      ).json()) as Row[];
      return rows.find((r) => r.exchange.request.path === '/t/sum');
    });
    // Stored redacted as header lines are: the secret trailer's value is a fingerprint.
    const stored = row.exchange.request.trailerLines ?? [];
    expect(stored.slice(0, 6)).toEqual(SIG.flat());
    expect(stored[6]).toBe('X-Api-Key');
    expect(stored[7]).not.toContain('t0psecret');
    expect(JSON.stringify(row.exchange)).not.toContain('t0psecret');
    expect(row.exchange.request.headerLines).not.toContain('Bearer s3cret');

    const replay = await fetch(`${p.tandem.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(row.exchange.id)}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(replay.status).toBe(200);
    const replayed = await eventually(() => p.candidate.received.find((r) => r.url === '/t/sum' && valueOf(r.headers, 'x-tandem-replay')));
    // The redacted trailer is left out (its value is gone), as a redacted header is.
    expect(replayed.trailers).toEqual(SIG);
    expect(replayed.body.toString()).toBe('{"a":1}');
  });
});

/**
 * Through a request translator: one that leaves the body alone relays the trailers; one
 * that changes the body sends its own bytes with a Content-Length and no trailers (a
 * checksum or signature over the client's bytes would be false for the translator's).
 */
describe('chunked request trailers through a request translator', () => {
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
      routes: [
        ...HEADER_OR_BODY_ROUTES,
        { name: 'served', match: 'POST /served/*', mirrorWrites: true, translator: 'body', phase: 'candidate' },
      ],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    module?.remove();
  });

  it('relays them when the translator leaves the body alone', async () => {
    expect(await sendWithTrailers(tandem.url, '/header/x')).toMatch(/^HTTP\/1\.1 200 /);
    const toLegacy = await eventually(() => legacy.received.find((r) => r.url === '/header/x'));
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/header/x'));
    expect(toCandidate.trailers).toEqual(SIG);
    expect(without(toCandidate.headers, [...MARKS, 'host', 'x-touched'])).toEqual(without(toLegacy.headers, [...MARKS, 'host']));
  });

  it('drops them with a body the translator changed', async () => {
    expect(await sendWithTrailers(tandem.url, '/body/x')).toMatch(/^HTTP\/1\.1 200 /);
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/body/x'));
    expect(toCandidate.trailers).toEqual([]);
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBeUndefined();
    expect(valueOf(toCandidate.headers, 'trailer')).toBeUndefined();
    expect(toCandidate.body.toString()).toBe('{"replaced":true}');
    expect(valueOf(toCandidate.headers, 'content-length')).toBe(String(toCandidate.body.length));
  });

  it('drops them with a changed body in phase candidate too; legacy still gets them', async () => {
    expect(await sendWithTrailers(tandem.url, '/served/x')).toMatch(/^HTTP\/1\.1 200 /);
    const toCandidate = await eventually(() => candidate.received.find((r) => r.url === '/served/x'));
    const toLegacy = await eventually(() => legacy.received.find((r) => r.url === '/served/x'));
    expect(toCandidate.trailers).toEqual([]);
    expect(valueOf(toCandidate.headers, 'trailer')).toBeUndefined();
    expect(valueOf(toCandidate.headers, 'content-length')).toBe(String(toCandidate.body.length));
    expect(toLegacy.trailers).toEqual(SIG);
  });
});

/**
 * When the candidate serves the client (rollout phase `candidate`, `candidate-only`), the
 * candidate's request and legacy's call (comparison or fallback) carry the trailers as the
 * shadow path does: chunked, `Transfer-Encoding` and `Trailer` lines as sent, the trailers
 * after the last chunk, and the stored record keeps them. Both were sent de-chunked with a
 * Content-Length and no trailers.
 */
describe.each(['candidate', 'candidate-only'] as const)('chunked request trailers in phase %s', (phase) => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true, phase } });
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  it('relays them to the serving candidate (and legacy) and stores them', async () => {
    const reply = await sendWithTrailers(p.tandem.url, '/t/served');
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply.toLowerCase()).toContain('x-served-by: candidate');
    const toCandidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/served'));
    expect(toCandidate.trailers).toEqual(SIG);
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBe('chunked');
    expect(valueOf(toCandidate.headers, 'trailer')).toBe('X-Checksum, x-sig');
    expect(valueOf(toCandidate.headers, 'content-length')).toBeUndefined();
    expect(toCandidate.body.toString()).toBe('{"a":1}');
    if (phase === 'candidate-only') return void expect(p.legacy.received.find((r) => r.url === '/t/served')).toBeUndefined();

    const toLegacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/served'));
    expect(toLegacy.trailers).toEqual(SIG);
    expect(toLegacy.body.toString()).toBe('{"a":1}');
    expect(without(toCandidate.headers, [...MARKS, 'host'])).toEqual(without(toLegacy.headers, [...MARKS, 'host']));
    type Row = { exchange: { request: RequestRecord; candidateRequest?: RequestRecord } };
    const row = await eventually(async () => {
      const rows = (await (
        await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, { headers: auth })
      ).json()) as Row[];
      return rows.find((r) => r.exchange.request.path === '/t/served');
    });
    expect(row.exchange.request.trailerLines).toEqual(SIG.flat());
  });
});

/** A body over capture.maxBodyBytes in phase `candidate` is streamed to legacy, which serves it: the trailers reach legacy too. */
describe('chunked request trailers on a body streamed to legacy in phase candidate', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;
  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      capture: { maxBodyBytes: 4 },
      routes: [{ name: 't', match: 'POST /t/*', mirrorWrites: true, phase: 'candidate' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('relays them to legacy after the streamed body', async () => {
    const reply = await sendWithTrailers(tandem.url, '/t/big');
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply.toLowerCase()).toContain('x-served-by: legacy');
    const toLegacy = await eventually(() => legacy.received.find((r) => r.url === '/t/big'));
    expect(toLegacy.body.toString()).toBe('{"a":1}');
    expect(toLegacy.trailers).toEqual(SIG);
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('chunked');
    expect(valueOf(toLegacy.headers, 'trailer')).toBe('X-Checksum, x-sig');
    expect(candidate.received.find((r) => r.url === '/t/big')).toBeUndefined();
  });
});
