import type { RedisClient } from '../../src/store';
import { startBackend, type TestBackend } from '../support/backends';
import { openTestRedis } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend, candidateProduct, legacyProduct } from './helpers';

/**
 * The candidate's timeout, legacy's delay for product 42 and the slow candidate's (501) are far apart, so a
 * loaded machine (timers and answers hundreds of ms late) does not move a request across them: was 400 ms,
 * 1000 ms and a 700 ms bound on "within the candidate's time".
 */
const CANDIDATE_TIMEOUT_MS = 1500;
const SLOW_MS = 4000;

describe('serving the candidate per customer', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let redis: RedisClient;
  const get = (path: string, customer?: string) => request(`${t.url}${path}`, { headers: customer ? { 'x-customer': customer } : {} });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/api\/v1\/products\/(\d+)$/.exec(req.url);
      if (m) return { headers: { 'x-legacy': 'yes' }, body: legacyProduct(m[1]), delayMs: m[1] === '42' ? SLOW_MS : 0 };
      return null;
    });
    candidate = await startBackend((req) => {
      const m = /^\/v2\/products\/(\d+)$/.exec(req.url);
      if (!m) return null;
      if (m[1] === '500') return { status: 500, body: { error: 'boom' } };
      if (m[1] === '501') return { body: candidateProduct(m[1]), delayMs: SLOW_MS };
      return { body: candidateProduct(m[1]) };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url, timeoutMs: CANDIDATE_TIMEOUT_MS },
      customer: { from: 'header', name: 'x-customer' },
      routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
    });
    redis = openTestRedis();
    for (const [customer, phase] of [
      ['acme', 'candidate'],
      ['initech', 'candidate-only'],
    ]) {
      const res = await apiSend(t.reportUrl, 'PUT', `/rollout/routes/product/customers/${customer}`, { phase, force: true });
      expect(res.status).toBe(200);
    }
  });

  afterAll(async () => {
    await redis?.quit();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it("serves a customer opted in the candidate's translated response", async () => {
    const res = await get('/api/v1/products/1', 'acme');
    expect(res.status).toBe(200);
    expect(res.headers['x-served-by']).toBe('candidate');
    expect(res.headers['x-legacy']).toBeUndefined();
    expect(json(res)).toEqual({ id: 1, name: 'Product 1', price: 10, sku: 'SKU-1' });
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('serves any other customer, and anonymous requests, from legacy', async () => {
    for (const who of ['globex', undefined]) {
      const res = await get('/api/v1/products/2', who);
      expect(res.headers['x-served-by']).toBe('legacy');
      expect(res.headers['x-legacy']).toBe('yes');
      expect(json(res)).toEqual(legacyProduct('2'));
    }
  });

  it('keeps comparing the candidate against legacy for the opted-in customer', async () => {
    const before = (await t.counters('product')).compared ?? 0;
    await get('/api/v1/products/3', 'acme');
    const c = await t.waitFor(async () => {
      const c = await t.counters('product');
      return (c.compared ?? 0) > before && c;
    });
    expect(c.match).toBeGreaterThanOrEqual(1);
    expect(legacy.seen.some((r) => r.url === '/api/v1/products/3')).toBe(true);
  });

  it('falls back to legacy when the candidate fails, and counts it per route and customer', async () => {
    const broken = await get('/api/v1/products/500', 'acme');
    expect(broken.status).toBe(200);
    expect(broken.headers['x-served-by']).toBe('legacy-fallback');
    expect(json(broken)).toEqual(legacyProduct('500'));
    const slow = await get('/api/v1/products/501', 'acme');
    expect(slow.headers['x-served-by']).toBe('legacy-fallback');
    expect(json(slow)).toEqual(legacyProduct('501'));
    const c = await t.waitFor(async () => {
      const c = await t.counters('product');
      return (c.fallback ?? 0) >= 2 && c;
    });
    expect(c.fallback).toBe(2);
    expect(c['fallback:candidate_5xx']).toBe(1);
    expect(c['fallback:timeout']).toBe(1);
    const perCustomer = await t.waitFor(async () => {
      const n = Number(await redis.hget(t.server.middleware.runtime.store().keys.customers('product'), 'acme|fallback'));
      return n >= 2 && n;
    });
    expect(perCustomer).toBe(2);
  });

  it("answers within the candidate's time, not legacy's, and compares once legacy answered", async () => {
    const before = (await t.counters('product')).compared ?? 0;
    const started = performance.now();
    const res = await get('/api/v1/products/42', 'acme');
    const ms = performance.now() - started;
    expect(res.headers['x-served-by']).toBe('candidate');
    expect(ms).toBeLessThan(SLOW_MS / 2);
    const c = await t.waitFor(async () => {
      const c = await t.counters('product');
      return (c.compared ?? 0) > before && c;
    });
    expect(c.compared).toBeGreaterThanOrEqual(before + 1);
  });

  it('stops calling legacy for a candidate-only customer', async () => {
    const res = await get('/api/v1/products/7', 'initech');
    expect(res.headers['x-served-by']).toBe('candidate');
    expect(json(res)).toEqual({ id: 7, name: 'Product 7', price: 10, sku: 'SKU-7' });
    const failed = await get('/api/v1/products/500', 'initech');
    expect(failed.status).toBe(500);
    expect(json(failed)).toEqual({ error: 'boom' });
    await new Promise((r) => setTimeout(r, 200));
    expect(legacy.seen.some((r) => r.url === '/api/v1/products/7')).toBe(false);
  });
});
