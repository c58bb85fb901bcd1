import type { TestBackend } from '../support/backends';
import { request, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { startMatchingTandem, stopMatchingTandem } from './helpers';

jest.setTimeout(60_000);

/**
 * A customer past `retention.customersPerRoute` has no readiness window of its own (its
 * results count under `(other)`). Its readiness must say so, not "nothing compared": an
 * operator asking whether acme can move reads why there are no figures and what to change.
 * Real backends and Redis.
 */
describe('readiness of a customer counted under (other)', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    ({ t, legacy, candidate } = await startMatchingTandem({
      customer: { from: 'header', name: 'x-customer' },
      retention: { customersPerRoute: 1 },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    }));
    for (let i = 0; i < 3; i++) await request(`${t.url}/p/${i}`, { headers: { 'x-customer': 'first' } });
    for (let i = 0; i < 3; i++) await request(`${t.url}/p/${i}`, { headers: { 'x-customer': 'late' } });
    await t.waitFor(async () => (await t.counters('p')).compared === 6, 20_000);
  });

  afterAll(() => stopMatchingTandem({ t, legacy, candidate }));

  const readiness = async (customer: string) => {
    const res = await fetch(`${t.reportUrl}/_tandem/api/rollout/readiness/p?customer=${encodeURIComponent(customer)}`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { compared: number; ready: boolean; summary: string; shortfalls: string[] };
  };

  /** The customer with state of its own and the one counted under (other) (the record order decides which). */
  const split = async () => {
    const { items } = await t.api<{ items: { customer: string }[] }>('/customers?route=p');
    const own = items.map((i) => i.customer).filter((c) => c !== '(other)');
    expect(own).toHaveLength(1);
    return { own: own[0], over: own[0] === 'first' ? 'late' : 'first' };
  };

  it('names (other) and retention.customersPerRoute for a customer past the cap', async () => {
    expect((await t.counters('p')).customer_overflow).toBe(3);
    const late = await readiness((await split()).over);
    expect(late).toMatchObject({ compared: 0, ready: false });
    expect(late.summary).toMatch(/counted under \(other\).*retention\.customersPerRoute/);
    expect(late.shortfalls.join(' ')).toMatch(/\(other\)/);
  });

  it('says nothing of (other) for a customer with a window of its own; names it for a new one while the route is past its cap', async () => {
    const own = await readiness((await split()).own);
    expect(own.compared).toBe(3);
    expect(own.summary).not.toMatch(/\(other\)/);
    expect((await readiness('never-seen')).summary).toMatch(/\(other\)/);
  });
});
