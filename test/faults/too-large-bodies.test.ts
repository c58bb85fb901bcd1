import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startBackend, type TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import { request, type TestTandem } from '../support/tandem';
import { tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { waitUntil } from './helpers/load';
import { storedExchanges } from './helpers/store-state';
import { processExchange } from '../../src/worker';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('limits: bodies over the capture cap, and a gzip bomb', () => {
  const cap = 64 * 1024;
  const bigResponse = Buffer.from(JSON.stringify({ items: 'x'.repeat(3 * cap) }));
  const bigRequest = Buffer.from(JSON.stringify({ upload: 'y'.repeat(2 * cap) }));
  // 64 MB of JSON that gzips to well under the cap: a decompression bomb.
  const makeBomb = (fill: number) =>
    gzipSync(Buffer.concat([Buffer.from('{"pad":"'), Buffer.alloc(64 << 20, fill), Buffer.from('"}')]), { level: 9 });
  // Legacy's and the candidate's differ, so the worker cannot match them byte for byte and must try to decompress.
  const bomb = makeBomb(0x61);
  const candidateBomb = makeBomb(0x62);
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    const answer = (url: string, side: 'legacy' | 'candidate') => {
      if (url.startsWith('/big')) return { raw: bigResponse };
      if (url.startsWith('/bomb')) return { raw: side === 'legacy' ? bomb : candidateBomb, headers: { 'content-encoding': 'gzip' } };
      return { body: { ok: true } };
    };
    legacy = await startBackend((r) => answer(r.url, 'legacy'));
    candidate = await startBackend((r) => answer(r.url, 'candidate'));
    t = await tandemFor(legacy.url, candidate.url, {
      capture: { maxBodyBytes: cap },
      routes: [
        { name: 'big', match: 'GET /big/:id' },
        { name: 'upload', match: 'POST /upload/:id', mirrorWrites: true },
        { name: 'bomb', match: 'GET /bomb/:id' },
      ],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('streams a response over the cap to the client untouched and records it as too_large with size and hash only', async () => {
    const res = await request(`${t.url}/big/1`);
    expect(res.status).toBe(200);
    expect(sha256(res.body)).toBe(sha256(bigResponse));
    const c = await waitUntil(
      () => t.counters('big'),
      (c) => c.compared === 1,
    );
    const [stored] = await storedExchanges(TEST_REDIS_URL, t.prefix, 'big');
    recordFigures('too-large-response', {
      bytes: bigResponse.length,
      cap,
      counters: c,
      storedBody: stored.legacy.body,
      storedBytes: JSON.stringify(stored).length,
    });

    expect(c).toMatchObject({ seen: 1, compared: 1, too_large: 1 });
    expect(stored.legacy.body).toEqual({
      encoding: 'base64',
      data: '',
      size: bigResponse.length,
      truncated: true,
      sha256: sha256(bigResponse),
    });
    // Too large to compare, so the candidate is not even called.
    expect(candidate.seen.filter((r) => r.url.startsWith('/big'))).toHaveLength(0);
  });

  it('streams a request body over the cap to legacy untouched and records it as too_large', async () => {
    const res = await request(`${t.url}/upload/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bigRequest });
    expect(res.status).toBe(200);
    const atLegacy = legacy.seen.find((r) => r.url === '/upload/1');
    expect(atLegacy && sha256(Buffer.from(atLegacy.body))).toBe(sha256(bigRequest));
    const c = await waitUntil(
      () => t.counters('upload'),
      (c) => c.compared === 1,
    );
    const [stored] = await storedExchanges(TEST_REDIS_URL, t.prefix, 'upload');
    recordFigures('too-large-request', { bytes: bigRequest.length, cap, counters: c, storedBody: stored.request.body });

    expect(c).toMatchObject({ seen: 1, compared: 1, too_large: 1 });
    expect(stored.request.body).toMatchObject({ data: '', size: bigRequest.length, truncated: true, sha256: sha256(bigRequest) });
    expect(candidate.seen.filter((r) => r.url.startsWith('/upload'))).toHaveLength(0);
  });

  it('refuses to expand a gzip bomb: the client gets the compressed bytes, the exchange is too_large', async () => {
    const res = await request(`${t.url}/bomb/1`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(sha256(res.body)).toBe(sha256(bomb));
    const c = await waitUntil(
      () => t.counters('bomb'),
      (c) => c.compared === 1,
    );
    // Why: re-derive the result from the stored exchange, as the worker did.
    const [stored] = await storedExchanges(TEST_REDIS_URL, t.prefix, 'bomb');
    const { result } = await processExchange(stored, {
      translators: t.server.middleware.runtime.translators,
      rulesFor: () => ({}),
      maxDecompressedBytes: 8 << 20,
    });
    recordFigures('gzip-bomb', { compressedBytes: bomb.length, expandsTo: 64 << 20, counters: c, reason: result.reason });

    expect(bomb.length).toBeLessThan(cap);
    expect(c).toMatchObject({ seen: 1, shadowed: 1, compared: 1, too_large: 1 });
    // The worker stopped at its decompression cap (8 MB here), far below the 64 MB the bomb expands to.
    expect(result).toMatchObject({ class: 'too_large', reason: 'legacy body: gzip body decompresses to more than 8388608 bytes; refused' });
  });
});
