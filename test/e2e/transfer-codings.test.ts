import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestTandem, type TestTandem } from '../support/tandem';
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
    // Written by hand: Node's client does not write a body chunked under its own `gzip, chunked`.
    const u = new URL(p.tandem.url);
    const head =
      'POST /t/gz HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n';
    const reply = await new Promise<string>((done, fail) => {
      const out: Buffer[] = [];
      const c = net.connect(Number(u.port), u.hostname, () =>
        c.write(Buffer.concat([Buffer.from(head + gz.length.toString(16) + '\r\n'), gz, Buffer.from('\r\n0\r\n\r\n')])),
      );
      c.on('data', (d: Buffer) => out.push(d));
      c.on('end', () => done(Buffer.concat(out).toString('latin1')));
      c.on('error', fail);
    });
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
  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    const module = join(mkdtempSync(join(tmpdir(), 'tandem-te-')), 'translators.js');
    writeFileSync(
      module,
      `module.exports = [
        { name: 'header', request: (r) => ({ ...r, headers: { ...r.headers, 'x-touched': '1' } }) },
        { name: 'body', request: (r) => ({ ...r, body: { replaced: true } }) },
      ];\n`,
    );
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      translators: [module],
      routes: [
        { name: 'header', match: 'POST /header/*', mirrorWrites: true, translator: 'header' },
        { name: 'body', match: 'POST /body/*', mirrorWrites: true, translator: 'body' },
      ],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
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

/** A POST whose body is `gz` under `Transfer-Encoding: gzip, chunked`, written by hand; the reply as Latin-1. */
function sendGzipChunked(base: string, path: string, gz: Buffer): Promise<string> {
  const u = new URL(base);
  const head = `POST ${path} HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n`;
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
