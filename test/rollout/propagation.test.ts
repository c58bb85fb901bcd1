import { startBackend, type TestBackend } from '../support/backends';
import { uniquePrefix } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend, candidateProduct, legacyProduct } from './helpers';

describe('rollout changes at run time, across instances', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let one: TestTandem;
  let two: TestTandem;
  const servedBy = async (t: TestTandem, customer: string) =>
    (await request(`${t.url}/api/v1/products/1`, { headers: { 'x-customer': customer } })).headers['x-served-by'];

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: candidateProduct(req.url.split('/').pop()!) }));
    const prefix = uniquePrefix('rollout');
    const options = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { prefix },
      customer: { from: 'header' as const, name: 'x-customer' },
      routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
    };
    one = await startTestTandem(options);
    two = await startTestTandem(options);
  });

  afterAll(async () => {
    await two?.stop();
    await one?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('applies a change made through one instance on another within one second', async () => {
    expect(await servedBy(two, 'acme')).toBe('legacy');
    const res = await apiSend(
      one.reportUrl,
      'PUT',
      '/rollout/routes/product/customers/acme',
      { phase: 'candidate', force: true },
      { 'x-tandem-actor': 'ada' },
    );
    expect(res.status).toBe(200);
    expect(res.body.routes.product.customers).toEqual({ acme: 'candidate' });
    const changed = performance.now();
    let seen = await servedBy(two, 'acme');
    while (seen !== 'candidate' && performance.now() - changed < 10_000) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await servedBy(two, 'acme');
    }
    const ms = performance.now() - changed;
    expect(seen).toBe('candidate');
    // Within a second (a poll every 250 ms) on an idle machine; a loaded one stretches the poll's timer and round
    // trips and each of this loop's requests: 3 s, still far from what a restart or a missing poll would take.
    expect(ms).toBeLessThan(3000);
    expect(await servedBy(one, 'acme')).toBe('candidate');
  });

  it('records each change in the audit log: who, when, what, the previous value', async () => {
    const before = Date.now();
    await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'legacy' }, { 'x-tandem-actor': 'grace' });
    await apiSend(one.reportUrl, 'DELETE', '/rollout/routes/product/customers/acme');
    const { status, body } = await apiSend(two.reportUrl, 'GET', '/rollout/audit?limit=3');
    expect(status).toBe(200);
    expect(body.entries).toHaveLength(3);
    const [cleared, route, customer] = body.entries;
    expect(cleared).toMatchObject({
      actor: 'api',
      action: 'customer.phase',
      target: 'product/customers/acme',
      previous: 'candidate',
      next: null,
    });
    expect(route).toMatchObject({ actor: 'grace', action: 'route.phase', target: 'product', previous: 'shadow', next: 'legacy' });
    expect(customer).toMatchObject({
      actor: 'ada',
      action: 'customer.phase',
      target: 'product/customers/acme',
      previous: null,
      next: 'candidate',
      forced: true,
    });
    expect(route.at).toBeGreaterThanOrEqual(before);
    expect(route.at).toBeLessThanOrEqual(Date.now());
  });

  it('rolls out a percentage stably per customer, and raising it only adds customers', async () => {
    await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'shadow', percentage: 30, force: true });
    const customers = Array.from({ length: 30 }, (_, i) => `c${i}`);
    await two.waitFor(async () => two.server.middleware.runtime.rollout.state().routes.product.percentage === 30);
    const at30 = new Set<string>();
    for (const c of customers) if ((await servedBy(two, c)) === 'candidate') at30.add(c);
    for (const c of customers) expect((await servedBy(one, c)) === 'candidate').toBe(at30.has(c));
    expect(at30.size).toBeGreaterThan(0);
    expect(at30.size).toBeLessThan(customers.length);
    await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product', { percentage: 70, force: true });
    await two.waitFor(async () => two.server.middleware.runtime.rollout.state().routes.product.percentage === 70);
    const at70 = new Set<string>();
    for (const c of customers) if ((await servedBy(two, c)) === 'candidate') at70.add(c);
    for (const c of at30) expect(at70.has(c)).toBe(true);
    expect(at70.size).toBeGreaterThan(at30.size);
    expect(await servedBy(two, 'anonymous')).toBe('legacy');
  });

  it('serves customers of a group the group phase', async () => {
    expect((await apiSend(one.reportUrl, 'PUT', '/rollout/groups/beta', { customers: ['zed', 'yan'] })).status).toBe(200);
    const set = await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product/groups/beta', { phase: 'candidate-only', force: true });
    expect(set.status).toBe(200);
    expect(set.body.groups).toEqual({ beta: ['yan', 'zed'] });
    expect(set.body.routes.product.groups).toEqual({ beta: 'candidate-only' });
    await two.waitFor(async () => two.server.middleware.runtime.rollout.state().routes.product.groups.beta === 'candidate-only');
    expect(await servedBy(two, 'zed')).toBe('candidate');
    expect(await servedBy(two, 'yan')).toBe('candidate');
    await new Promise((r) => setTimeout(r, 100));
    expect(legacy.seen.filter((r) => r.headers['x-customer'] === 'yan' || r.headers['x-customer'] === 'zed')).toEqual([]);
  });

  it('answers bad input with a clear error', async () => {
    const phase = await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product', { phase: 'sideways' });
    expect(phase).toEqual({ status: 400, body: { error: 'invalid', message: expect.stringContaining('phase must be one of') } });
    const pct = await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product', { percentage: 150 });
    expect(pct.status).toBe(400);
    const route = await apiSend(one.reportUrl, 'PUT', '/rollout/routes/nope', { phase: 'shadow' });
    expect(route).toEqual({ status: 404, body: { error: 'unknown_route', message: expect.stringContaining('"nope"') } });
    const group = await apiSend(one.reportUrl, 'PUT', '/rollout/routes/product/groups/ghosts', { phase: 'shadow' });
    expect(group.status).toBe(404);
    const noToken = await fetch(`${one.reportUrl}/_tandem/api/rollout`);
    expect(noToken.status).toBe(401);
  });
});
