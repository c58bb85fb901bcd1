import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend, candidateProduct, legacyProduct } from './helpers';

describe('the readiness guard', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let broken = true;

  const send = async (n: number, customer?: string) => {
    const before = (await t.counters('product')).compared ?? 0;
    for (let i = 0; i < n; i++) await request(`${t.url}/api/v1/products/${i}`, { headers: customer ? { 'x-customer': customer } : {} });
    await t.waitFor(async () => ((await t.counters('product')).compared ?? 0) >= before + n);
  };

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: { ...candidateProduct(req.url.split('/').pop()!), price: broken ? 99 : 10 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      rollout: { threshold: 0.9, window: 10, minCompared: 5 },
      routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('refuses to move a route to candidate below the threshold, and says the figures', async () => {
    await send(6);
    const res = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'candidate' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'not_ready', compared: 6, matchRate: 0, threshold: 0.9, window: 10 });
    expect(res.body.message).toBe(
      'route "product" is not ready for candidate: 0/6 matched (0.0%) over the last 6 compared (window 10), threshold 90.0%; match rate short: 0.0%, below 90.0%; send "force": true to override',
    );
    const raise = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { percentage: 10 });
    expect(raise.status).toBe(409);
    expect((await apiSend(t.reportUrl, 'GET', '/rollout')).body.routes.product).toMatchObject({ phase: 'shadow', percentage: 0 });
  });

  it('refuses a customer without enough compared requests of its own', async () => {
    const res = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'not_ready', compared: 0, matchRate: null });
    expect(res.body.message).toContain('volume short: 0 of the 5 compared requests needed');
  });

  it('allows the move once the last N compared requests match', async () => {
    broken = false;
    await send(10);
    await send(5, 'acme');
    const readiness = await apiSend(t.reportUrl, 'GET', '/rollout/readiness/product');
    expect(readiness.body).toEqual({
      compared: 10,
      matches: 10,
      matchRate: 1,
      threshold: 0.9,
      window: 10,
      minCompared: 5,
      ready: true,
      summary: 'ready: 10/10 matched (100.0%) over the last 10 compared (window 10), threshold 90.0%',
      figures: '10/10 matched (100.0%) over the last 10 compared (window 10), threshold 90.0%',
      shortfalls: [],
    });
    expect((await apiSend(t.reportUrl, 'GET', '/rollout/readiness/product?customer=acme')).body).toMatchObject({
      compared: 5,
      matches: 5,
      ready: true,
    });
    const res = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate' });
    expect(res.status).toBe(200);
    expect(res.body.routes.product.customers).toEqual({ acme: 'candidate' });
    const route = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { percentage: 20 });
    expect(route.status).toBe(200);
    const { body } = await apiSend(t.reportUrl, 'GET', '/rollout/audit?limit=1');
    expect(body.entries[0]).toMatchObject({ action: 'route.percentage', previous: 0, next: 20 });
    expect(body.entries[0].forced).toBeUndefined();
  });

  it('lets force override a refusal, and records that it was forced', async () => {
    broken = true;
    await send(10);
    expect((await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'candidate' })).status).toBe(409);
    const forced = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'candidate', force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.routes.product.phase).toBe('candidate');
    const { body } = await apiSend(t.reportUrl, 'GET', '/rollout/audit?limit=1');
    expect(body.entries[0]).toMatchObject({ action: 'route.phase', previous: 'shadow', next: 'candidate', forced: true });
  });
});
