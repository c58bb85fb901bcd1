import type { TestBackend } from '../support/backends';
import { keysUnder, openTestRedis, storedValues } from '../support/redis';
import { request, type TestTandem } from '../support/tandem';
import { apiSend, startMatchingTandem, stopMatchingTandem } from './helpers';

jest.setTimeout(60_000);

const SECRET = 's3cr3t-customer-token';
const CUSTOMER = `acme;token=${SECRET}`;
/** The customer in the path, in path-parameter form (`/p/acme;token=x/1`). */
const TENANT = `acme;token=${SECRET}`;

/** Every string Redis holds under a Tandem's prefix, by key: values, hash fields, members. */
async function everythingStored(prefix: string): Promise<Map<string, string>> {
  const redis = openTestRedis();
  try {
    const out = new Map<string, string>();
    for (const key of await keysUnder(prefix)) {
      out.set(key, (await storedValues(redis, key)).map((v) => v.toString('latin1')).join('\n'));
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

/**
 * A customer id with a secret `;name=value` parameter (`acme;token=x`, a customer taken from
 * the path `/p/acme;token=x/1`) is stored with the value fingerprinted, as a path parameter is. Readiness looked the raw id up, so the
 * customer the operator names never had figures ("nothing compared yet") and a move of it
 * was refused however well it matched; and the candidate phase's per-customer counters
 * were written under the raw id, the secret in Redis. Both now key on the stored id.
 * Real backends and Redis.
 */
describe('a customer id holding a secret path parameter', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    ({ t, legacy, candidate } = await startMatchingTandem({
      customer: { from: 'path', name: 'tenant' },
      rollout: { minCompared: 3, window: 10 },
      queue: { lingerMs: 0 },
      routes: [{ name: 'p', match: 'GET /p/:tenant/:id' }],
    }));
  });

  afterAll(() => stopMatchingTandem({ t, legacy, candidate }));

  it('has readiness under the id the operator names, a move by it is not refused, and no raw secret is stored', async () => {
    for (let i = 0; i < 3; i++) await request(`${t.url}/p/${TENANT}/${i}`);
    await t.waitFor(async () => (await t.counters('p')).compared === 3, 20_000);
    const { items } = await t.api<{ items: { customer: string }[] }>('/customers?route=p');
    expect(items.map((i) => i.customer)).toEqual([expect.stringMatching(/^acme;token=\[REDACTED:[0-9a-f]{16}\]$/)]);

    for (const id of [CUSTOMER, items[0].customer]) {
      const r = await t.api<{ compared: number; ready: boolean }>(`/rollout/readiness/p?customer=${encodeURIComponent(id)}`);
      expect(r).toMatchObject({ compared: 3, ready: true });
    }
    // Ready, so the guard lets the move through without force.
    const moved = await apiSend(t.reportUrl, 'PUT', `/rollout/routes/p/customers/${encodeURIComponent(CUSTOMER)}`, { phase: 'candidate' });
    expect(moved.status).toBe(200);

    // Served by the candidate now: the ingress counts it per customer (`served:candidate`).
    await t.waitFor(async () => {
      const res = await request(`${t.url}/p/${TENANT}/9`);
      return res.headers['x-served-by'] === 'candidate';
    }, 20_000);
    const stored = await t.waitFor(async () => {
      await t.counters('p');
      const all = await everythingStored(t.prefix);
      const customers = [...all].find(([k]) => k.endsWith(':route:p:customers'));
      return customers?.[1].includes('|served:candidate') && all;
    }, 20_000);
    // The rollout state and its audit hold the id the operator gave (configuration, not traffic); nothing else may.
    for (const [key, text] of stored) {
      if (key.includes(':rollout:')) continue;
      expect(`${key} ${text}`).not.toContain(SECRET);
    }
  });
});
