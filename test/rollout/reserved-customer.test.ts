import type { TestBackend } from '../support/backends';
import { request, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { startMatchingTandem, stopMatchingTandem } from './helpers';

jest.setTimeout(60_000);

/**
 * `(other)` is the name of the bucket that customers past `retention.customersPerRoute`
 * count under. A client that names itself `(other)` must not pass for that bucket (on the
 * customers page, in readiness) nor be moved by an override meant for it: it is an
 * invalid id (anonymous, counted as `customer:invalid_id`). Real backends and Redis.
 */
describe('a client cannot name itself (other)', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    ({ t, legacy, candidate } = await startMatchingTandem({
      customer: { from: 'header', name: 'x-customer' },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    }));
    for (let i = 0; i < 2; i++) await request(`${t.url}/p/${i}`, { headers: { 'x-customer': '(other)' } });
    await request(`${t.url}/p/9`, { headers: { 'x-customer': 'acme' } });
    await t.waitFor(async () => (await t.counters('p')).compared === 3, 20_000);
  });

  afterAll(() => stopMatchingTandem({ t, legacy, candidate }));

  it('counts it as an invalid id, not as a customer named (other)', async () => {
    const c = await t.counters('p');
    expect(c['customer:invalid_id']).toBe(2);
    expect(c.customer_overflow ?? 0).toBe(0);
    const { items } = await t.api<{ items: { customer: string; compared: number }[] }>('/customers?route=p');
    expect(items.map((i) => i.customer).sort()).toEqual(['acme', 'anonymous']);
  });

  it('refuses an override or a group member named (other)', async () => {
    const one = await fetch(`${t.reportUrl}/_tandem/api/rollout/routes/p/customers/${encodeURIComponent('(other)')}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ phase: 'shadow' }),
    });
    expect(one.status).toBe(400);
    const group = await fetch(`${t.reportUrl}/_tandem/api/rollout/groups/beta`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ customers: ['acme', '(other)'] }),
    });
    expect(group.status).toBe(400);
  });
});
