import type { RequestRecord } from '../../src/records';
import type { TestBackend } from '../support/backends';
import { storedSecrets } from '../support/stored-secrets';
import { request, type TestTandem } from '../support/tandem';
import { startMatchingTandem, stopMatchingTandem } from './helpers';

jest.setTimeout(60_000);

const SECRET = 's3cr3t-customer-header-token';

/**
 * With `customer: {from: header, name: x-customer}` and `x-customer: acme;token=S`, the
 * customer id was stored fingerprinted (`acme;token=[REDACTED:…]`) but the stored request's
 * `x-customer` header, in the map and in the header lines, kept `token=S` in clear. The
 * configured customer header's value is now redacted as the id is. Real backends and Redis;
 * nothing under the Tandem's prefix holds the secret.
 */
describe('a customer taken from a header holding a secret parameter', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    ({ t, legacy, candidate } = await startMatchingTandem({
      customer: { from: 'header', name: 'X-Customer' },
      queue: { lingerMs: 0 },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    }));
  });

  afterAll(() => stopMatchingTandem({ t, legacy, candidate }));

  it('stores the header as the customer id is stored, in the map and the header lines, and nowhere in clear', async () => {
    const res = await request(`${t.url}/p/1`, { headers: { 'X-Customer': `acme;token=${SECRET};plan=gold` } });
    expect(res.status).toBe(200);
    await t.waitFor(async () => (await t.counters('p')).compared === 1, 20_000);
    type Row = { exchange: { customer: string; request: RequestRecord; candidateRequest?: RequestRecord } };
    const rows = await t.api<Row[]>('/routes/p/export?format=json&class=match');
    expect(rows).toHaveLength(1);
    const { exchange } = rows[0];
    const id = exchange.customer;
    expect(id).toMatch(/^acme;token=\[REDACTED:[0-9a-f]{16}\];plan=gold$/);
    for (const r of [exchange.request, exchange.candidateRequest!]) {
      expect(r.headers['x-customer']).toBe(id);
      const at = (r.headerLines ?? []).findIndex((x, i) => i % 2 === 0 && x.toLowerCase() === 'x-customer');
      expect(at).toBeGreaterThanOrEqual(0);
      expect(r.headerLines![at + 1]).toBe(id);
    }
    // The backends got the value as sent.
    expect(legacy.seen[0].headers['x-customer']).toBe(`acme;token=${SECRET};plan=gold`);
    const scan = await storedSecrets(t.prefix, new RegExp(SECRET));
    expect(scan.keys).toBeGreaterThan(0);
    expect(scan.found).toEqual([]);
  });
});
