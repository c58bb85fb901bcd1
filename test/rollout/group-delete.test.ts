import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { startBackend, type TestBackend } from '../support/backends';
import { apiSend } from './helpers';

/**
 * Deleting a group deletes its phase on every route. It used to leave them behind: the state
 * showed `groups: { beta: candidate }` on the route with no group `beta`, and a group created
 * later under that name (other members) was served the candidate at once, with no readiness
 * check and nothing in the audit saying so.
 */
describe('deleting a rollout group', () => {
  let backend: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    backend = await startBackend(() => ({ body: { price: 10 } }));
    t = await startTestTandem({
      legacy: { url: backend.url },
      candidate: { url: backend.url },
      customer: { from: 'header', name: 'x-customer' },
      rollout: { pollMs: 50 },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'GET /orders/:id' },
      ],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await backend?.close();
  });

  it('removes its phase on every route, audited, and a new group of that name starts with none', async () => {
    expect((await apiSend(t.reportUrl, 'PUT', '/rollout/groups/beta', { customers: ['acme'] })).status).toBe(200);
    for (const route of ['product', 'order'])
      expect((await apiSend(t.reportUrl, 'PUT', `/rollout/routes/${route}/groups/beta`, { phase: 'candidate', force: true })).status).toBe(
        200,
      );

    const deleted = await apiSend(t.reportUrl, 'DELETE', '/rollout/groups/beta', undefined, { 'x-tandem-actor': 'ada' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.groups).toEqual({});
    expect(deleted.body.routes.product.groups).toEqual({});
    expect(deleted.body.routes.order.groups).toEqual({});
    const audit = (await apiSend(t.reportUrl, 'GET', '/rollout/audit?limit=3')).body.entries;
    expect(
      audit.map((e: { action: string; target: string; actor: string; next: unknown }) => [e.action, e.target, e.actor, e.next ?? null]),
    ).toEqual(
      expect.arrayContaining([
        ['group.members', 'groups/beta', 'ada', null],
        ['group.phase', 'product/groups/beta', 'ada', null],
        ['group.phase', 'order/groups/beta', 'ada', null],
      ]),
    );

    const again = await apiSend(t.reportUrl, 'PUT', '/rollout/groups/beta', { customers: ['globex'] });
    expect(again.body.routes.product.groups).toEqual({});
    await t.waitFor(async () => (await apiSend(t.reportUrl, 'GET', '/rollout')).body.version === again.body.version);
    const served = await request(`${t.url}/products/1`, { headers: { 'x-customer': 'globex' } });
    expect(served.headers['x-served-by']).toBe('legacy');
  });
});
