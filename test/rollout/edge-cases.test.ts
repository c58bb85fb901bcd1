import http from 'node:http';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend } from './helpers';

/** POST a body in chunks without content-length (transfer-encoding: chunked). */
function postChunked(
  url: string,
  chunks: string[],
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((done, fail) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('serving the candidate: bodies over the cap and failing translators', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const big = 'x'.repeat(200);

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ status: req.method === 'POST' ? 201 : 200, body: { by: 'legacy', size: req.body.length } }));
    candidate = await startBackend((req) => ({
      status: req.method === 'POST' ? 201 : 200,
      body: { by: 'candidate', size: req.body.length },
    }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: 64 },
      customer: { from: 'header', name: 'x-customer' },
      routes: [
        { name: 'upload', match: 'POST /upload', mirrorWrites: true },
        { name: 'other', match: 'GET /other/:x', translator: 'products-v2' },
      ],
    });
    for (const [route, customer, phase] of [
      ['upload', 'acme', 'candidate'],
      ['upload', 'initech', 'candidate-only'],
      ['other', 'acme', 'candidate'],
    ]) {
      expect((await apiSend(t.reportUrl, 'PUT', `/rollout/routes/${route}/customers/${customer}`, { phase, force: true })).status).toBe(
        200,
      );
    }
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('serves a body over the cap from legacy, whole, in candidate', async () => {
    const known = await request(`${t.url}/upload`, {
      method: 'POST',
      headers: { 'x-customer': 'acme', 'content-type': 'text/plain' },
      body: big,
    });
    expect(known.headers['x-served-by']).toBe('legacy');
    expect(JSON.parse(known.body.toString())).toEqual({ by: 'legacy', size: 200 });
    const chunked = await postChunked(`${t.url}/upload`, [big.slice(0, 50), big.slice(50)], { 'x-customer': 'acme' });
    expect(chunked.headers['x-served-by']).toBe('legacy');
    expect(JSON.parse(chunked.body)).toEqual({ by: 'legacy', size: 200 });
    expect(candidate.seen.filter((r) => r.url === '/upload')).toEqual([]);
    const c = await t.waitFor(async () => {
      const c = await t.counters('upload');
      return (c['skipped:too_large'] ?? 0) >= 2 && c;
    });
    expect(c['skipped:too_large']).toBe(2);
  });

  it('answers 413 for a body over the cap in candidate-only, and serves small ones', async () => {
    const res = await request(`${t.url}/upload`, {
      method: 'POST',
      headers: { 'x-customer': 'initech', 'content-type': 'text/plain' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toEqual({
      error: 'payload_too_large',
      message: 'request bodies over capture.maxBodyBytes (64) cannot be translated',
    });
    const small = await request(`${t.url}/upload`, {
      method: 'POST',
      headers: { 'x-customer': 'initech', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(small.status).toBe(201);
    expect(JSON.parse(small.body.toString())).toEqual({ by: 'candidate', size: 5 });
  });

  it('falls back to legacy when the request translator fails', async () => {
    const res = await request(`${t.url}/other/1`, { headers: { 'x-customer': 'acme' } });
    expect(res.headers['x-served-by']).toBe('legacy-fallback');
    expect(JSON.parse(res.body.toString())).toEqual({ by: 'legacy', size: 0 });
    const c = await t.waitFor(async () => {
      const c = await t.counters('other');
      return (c.translation_error ?? 0) >= 1 && c;
    });
    expect(c['fallback:translation_error']).toBe(1);
    expect(candidate.seen.some((r) => r.url.startsWith('/other'))).toBe(false);
  });
});
