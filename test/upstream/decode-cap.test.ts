import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBackend, type TestBackend } from '../support/backends';
import { tempDir } from '../support/processes';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/** Tells the candidate what the request translator was given as the body. */
const PEEK = `module.exports = { name: 'peek', request: (r) => ({ ...r, headers: { ...r.headers, 'x-body-kind': Buffer.isBuffer(r.body) ? 'bytes:' + r.body.length : typeof r.body } }) };`;

describe('decoding in the proxy process is bounded by capture.maxBodyBytes', () => {
  const dir = tempDir('decodecap');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { ok: true } }));
    candidate = await startBackend(() => ({ body: { ok: true } }));
    writeFileSync(join(dir.path, 'peek.js'), PEEK);
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: 64 * 1024 },
      translators: [join(dir.path, 'peek.js')],
      routes: [{ name: 'upload', match: 'POST /upload', mirrorWrites: true, translator: 'peek' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  it('gives the request translator the compressed bytes of a gzip body that would inflate past the cap (16 MB from 16 KB)', async () => {
    const bomb = gzipSync(`{"a":"${'x'.repeat(16 << 20)}"}`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const small = gzipSync('{"a":"small"}');
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    expect(
      (
        await request(`${tandem.url}/upload`, {
          method: 'POST',
          headers: { ...headers, 'content-length': String(bomb.length) },
          body: bomb,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request(`${tandem.url}/upload`, {
          method: 'POST',
          headers: { ...headers, 'content-length': String(small.length) },
          body: small,
        })
      ).status,
    ).toBe(200);
    await tandem.waitFor(async () => candidate.seen.length === 2);
    const kinds = candidate.seen.map((r) => r.headers['x-body-kind']).sort();
    expect(kinds).toEqual([`bytes:${bomb.length}`, 'object']);
  });
});
