import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/**
 * A route where a quarter of the candidate's answers are 500s: the overview, the route
 * summary, the customers page, the readiness guard and the metrics all state 75%.
 */
describe('one match rate on every page', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: Number(req.url.split('/').pop()), name: 'x' } }));
    candidate = await startBackend((req) => {
      const id = Number(req.url.split('/').pop());
      return id % 4 === 0 ? { status: 500, body: { error: 'boom' } } : { body: { id, name: 'x' } };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      rollout: { threshold: 0.9, window: 100, minCompared: 4 },
      routes: [{ name: 'item', match: 'GET /items/:id' }],
    });
    for (let i = 0; i < 8; i++) await request(`${t.url}/items/${i}`, { headers: { 'x-customer': 'acme' } });
    await t.waitFor(async () => ((await t.counters('item')).compared ?? 0) >= 8);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('states 75% everywhere, errors counting against it', async () => {
    const { routes } = await t.api('/routes');
    expect(routes.find((r: { name: string }) => r.name === 'item')).toMatchObject({ matchRate: 0.75, errors: 2 });
    expect(await t.api('/routes/item/summary')).toMatchObject({ matchRate: 0.75 });
    const customers = await t.api('/customers?route=item');
    expect(customers.items).toEqual([
      expect.objectContaining({ customer: 'acme', matchRate: 0.75, readiness: expect.objectContaining({ matchRate: 0.75, ready: false }) }),
    ]);
    expect(customers.readiness).toEqual({ threshold: 0.9, window: 100, minCompared: 4 });
    const guard = await t.api('/rollout/readiness/item');
    expect(guard).toMatchObject({ compared: 8, matches: 6, matchRate: 0.75, ready: false });
    const text = await t.server.middleware.runtime.metrics.text();
    expect(text).toMatch(/^tandem_match_rate\{route="item"\} 0\.75$/m);
    expect(text).toMatch(/^tandem_results\{route="item",verdict="errors"\} 2$/m);
  });
});
