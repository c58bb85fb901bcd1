import { randomUUID } from 'node:crypto';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { call, comparedAtLeast, sendAll } from '../support/report-api';

/** A fresh ISO timestamp with microseconds: differs on every call. */
function freshTimestamp(): string {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return new Date(Math.floor(us / 1000)).toISOString().replace('Z', `${String(us % 1000).padStart(3, '0')}Z`);
}

const REQUESTS = 1000;
/** The planted bug: the candidate's price is wrong for 5% of products. */
const planted = (id: number) => id % 20 === 0;

describe('noise cancellation (issue 4 acceptance)', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    const product = (id: number, price: number) => ({
      id,
      name: `Product ${id}`,
      price,
      generatedAt: freshTimestamp(),
      requestId: randomUUID(),
    });
    legacy = await startBackend((req) => {
      const m = /^\/products\/(\d+)$/.exec(req.url);
      return m ? { body: product(Number(m[1]), 10) } : null;
    });
    candidate = await startBackend((req) => {
      const m = /^\/products\/(\d+)$/.exec(req.url);
      return m ? { body: product(Number(m[1]), planted(Number(m[1])) ? 11 : 10) } : null;
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      // One request in five goes to legacy twice; learned noise covers the other four.
      noise: { repeatRate: 0.2 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('after 1,000 requests shows the planted field as the only signature, and timestamp and UUID as noise', async () => {
    const started = Date.now();
    await sendAll(t.url, REQUESTS, (i) => `/products/${i}`, 8);
    const c = await comparedAtLeast(t, 'product', REQUESTS);
    const elapsed = Date.now() - started;

    const plantedCount = Array.from({ length: REQUESTS }, (_, i) => i + 1).filter(planted).length;
    expect(plantedCount).toBe(50);
    expect(c).toMatchObject({
      seen: REQUESTS,
      shadowed: REQUESTS,
      compared: REQUESTS,
      mismatch: plantedCount,
      noise_only: REQUESTS - plantedCount,
    });
    expect(c.match ?? 0).toBe(0);
    expect(c.repeated).toBeGreaterThanOrEqual(5);
    // Legacy was called again for about a fifth of the requests.
    expect(legacy.seen.length - REQUESTS).toBe(c.repeated);

    const { signatures } = await t.api<{ signatures: { signature: string; count: number; risk: string }[] }>('/routes/product/signatures');
    expect(signatures.map((s) => [s.signature, s.count, s.risk])).toEqual([['price', plantedCount, 'medium']]);

    const fields = await t.api<{ differs: Record<string, number>; noise: Record<string, number> }>('/routes/product/fields');
    expect(fields.differs).toEqual({ price: plantedCount });
    expect(fields.noise.generatedAt).toBeGreaterThan(REQUESTS * 0.95);
    expect(fields.noise.requestId).toBe(REQUESTS);

    const { json: noise } = await call(t, 'GET', '/routes/product/noise');
    expect(noise.repeats).toBe(c.repeated);
    const byPath = Object.fromEntries(noise.suggestions.map((s: { path: string }) => [s.path, s]));
    expect(Object.keys(byPath).sort()).toEqual(['generatedAt', 'requestId']);
    expect(byPath.requestId).toEqual({
      path: 'requestId',
      differedInRepeats: c.repeated,
      repeats: c.repeated,
      rate: 1,
      learned: true,
      notNoise: false,
    });
    expect(byPath.generatedAt).toMatchObject({ learned: true, notNoise: false });
    expect(byPath.generatedAt.rate).toBeGreaterThan(0.95);
    // Learned noise is subtracted before volatile values are flagged, so nothing is left to suspect.
    expect(noise.suspected).toEqual([]);

    const { json: rules } = await call(t, 'GET', '/routes/product/rules');
    expect(rules).toMatchObject({ ignore: [], noise: [], notNoise: [], learned: ['generatedAt', 'requestId'] });
    process.stdout.write(`noise acceptance: ${REQUESTS} requests compared in ${elapsed} ms, ${c.repeated} repeated\n`);
  }, 60_000);

  it('gives the same results when recomputed from the stored exchanges (noise evidence first)', async () => {
    const before = await t.counters('product');
    const started = Date.now();
    const { status, json } = await call(t, 'POST', '/routes/product/rediff');
    const ms = Date.now() - started;
    expect(status).toBe(200);
    expect(json).toEqual({ recomputed: REQUESTS, byClass: { mismatch: 50, noise_only: REQUESTS - 50 } });
    const after = await t.counters('product');
    expect(after).toEqual(before);
    const { signatures } = await t.api<{ signatures: { signature: string; count: number }[] }>('/routes/product/signatures');
    expect(signatures.map((s) => [s.signature, s.count])).toEqual([['price', 50]]);
    process.stdout.write(`noise acceptance: rediff of ${REQUESTS} stored exchanges took ${ms} ms\n`);
  }, 60_000);
});
