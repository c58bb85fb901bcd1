import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeBody, encodeBody } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { eventually, sendRaw, startRecorder, type Recorder } from '../e2e/fidelity-support';
import { storedSecrets } from '../support/stored-secrets';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * A compressed body is read field by field on the proxy's event loop only when it decodes to
 * `capture.maxBodyBytes` at most. Decoding goes to 8 times that (`capture.maxDecodedBytes`),
 * in up to four codings: a 170-byte `gzip, gzip, gzip, gzip` request decoding to 8 MB of JSON
 * with a `password` in it held the loop 0.7 s, a 945 KB gzip of 5 MB of small objects 1.1-1.4 s,
 * every client's answer waiting. Past the bound a body in which a secret name may occur is
 * withheld (size and fingerprint); one in which none does is stored as sent.
 */
const CAP = 64 * 1024;
const gzipTimes = (b: Buffer, n: number) => Array.from({ length: n }).reduce<Buffer>((x) => gzipSync(x), b);
const big = (name: string, pad = 300_000, value = 'SECRET-1') =>
  Buffer.from(JSON.stringify({ pad: 'a'.repeat(pad), [name]: value, keep: 'bob' }));

describe('a compressed body decoding past capture.maxBodyBytes', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let t: TestTandem;
  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: CAP },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'POST /t/*', mirrorWrites: true }],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const send = async (path: string, coding: string, body: Buffer) => {
    const res = await sendRaw(t.url, {
      method: 'POST',
      path,
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'application/json'],
        ['Content-Encoding', coding],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(200);
  };

  it('is withheld when a secret name occurs in it, stored as sent when none does, and each is counted once', async () => {
    const bomb = gzipTimes(big('password'), 4);
    const plain = gzipSync(big('passport', 300_000, 'VISIBLE-1'));
    const small = gzipSync(Buffer.from(JSON.stringify({ password: 'SECRET-2', keep: 'bob' })));
    expect(bomb.length).toBeLessThan(CAP);
    await send('/t/bomb', 'gzip, gzip, gzip, gzip', bomb);
    await send('/t/plain', 'gzip', plain);
    await send('/t/small', 'gzip', small);
    // The candidate gets the bodies as sent.
    const got = await eventually(() => candidate.received.find((r) => r.url === '/t/bomb'));
    expect(got.body.equals(bomb)).toBe(true);

    type Row = { exchange: { request: { path: string; body: { withheld?: string; unreadable?: { reason: string } } } } };
    const rows = await eventually(async () => {
      const r = await t.api<Row[]>('/routes/t/export?format=json&class=match');
      return new Set(r.map((x) => x.exchange.request.path)).size === 3 && r;
    });
    const body = (path: string) => rows.find((r) => r.exchange.request.path === path)!.exchange.request.body;
    expect(body('/t/bomb').withheld).toBeDefined();
    expect(body('/t/bomb').unreadable?.reason).toMatch(/decompresses to more than 65536 bytes \(capture\.maxBodyBytes\)/);
    // No secret name in it: not withheld, its bytes kept (it is compared as any body is).
    expect(body('/t/plain').withheld).toBeUndefined();
    expect(decodeBody(body('/t/plain') as never).equals(plain)).toBe(true);
    // Under the bound: read field by field, the secret fingerprinted, the rest kept.
    expect(body('/t/small').withheld).toBeUndefined();
    expect(JSON.stringify(rows)).not.toContain('SECRET');
    expect((await storedSecrets(t.prefix, /SECRET-\d/)).found).toEqual([]);

    const c = await t.counters('t');
    expect(c.seen).toBe(3);
    expect(c.compared).toBe(3);
  }, 60_000);
});

describe('the bound on a response (a candidate answering a compressed body)', () => {
  const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789', 8 * CAP, CAP);
  const answer = (type: string, coding: string, bytes: Buffer) =>
    redactor.response({
      status: 200,
      headers: { 'content-type': type, 'content-encoding': coding },
      body: encodeBody(bytes),
      durationMs: 1,
    }).body!;

  it('withholds a body decoding past it with a secret name in it, in any coding and charset', () => {
    const json = 'application/json';
    const reason = /decompresses to more than 65536 bytes/;
    expect(answer(json, 'br', brotliCompressSync(big('access_token'))).unreadable?.reason).toMatch(reason);
    expect(answer(json, 'deflate', deflateSync(big('Password'))).unreadable?.reason).toMatch(reason);
    // UTF-16: the name's letters have NULs between them.
    const wide = Buffer.from(big('password', 100_000).toString(), 'utf16le');
    expect(answer(`${json}; charset=utf-16le`, 'gzip', gzipSync(wide)).unreadable?.reason).toMatch(reason);
    // A form, percent-escaped names.
    const form = Buffer.from(`pad=${'a'.repeat(300_000)}&p%61ssword=SECRET-1`);
    expect(answer('application/x-www-form-urlencoded', 'gzip', gzipSync(form)).unreadable?.reason).toMatch(reason);
    // None of them holds the secret.
    expect(JSON.stringify(answer(json, 'br', brotliCompressSync(big('access_token'))))).not.toContain('SECRET');
  });
});
