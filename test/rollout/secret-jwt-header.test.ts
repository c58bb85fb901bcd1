import type { TestBackend } from '../support/backends';
import { storedSecrets } from '../support/stored-secrets';
import { request, type TestTandem } from '../support/tandem';
import { startMatchingTandem, stopMatchingTandem } from './helpers';

jest.setTimeout(60_000);

const SIGNATURE = 'c2lnbmF0dXJlLW9mLWEtc2Vzc2lvbi1qd3Q';
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ tenant: 'acme', sub: 'user-1' })}.${SIGNATURE}`;

/**
 * With `customer: {from: jwt, name: X-Session-Jwt}`, the bearer token of a header whose name is
 * not secret by itself was stored in clear (a replayable session credential in Redis). The
 * header a JWT customer id is read from is now redacted like `authorization`. Real backends
 * and Redis; nothing under the Tandem's prefix holds the token's signature.
 */
describe('a customer taken from a JWT in a header of its own', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    ({ t, legacy, candidate } = await startMatchingTandem({
      customer: { from: 'jwt', name: 'X-Session-Jwt', claim: 'tenant' },
      queue: { lingerMs: 0 },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    }));
  });

  afterAll(() => stopMatchingTandem({ t, legacy, candidate }));

  it('reads the customer from the token, relays it as sent, and stores it nowhere in clear', async () => {
    const res = await request(`${t.url}/p/1`, { headers: { 'X-Session-Jwt': `Bearer ${JWT}` } });
    expect(res.status).toBe(200);
    await t.waitFor(async () => (await t.counters('p')).compared === 1, 20_000);
    type Row = { exchange: { customer: string; request: { headers: Record<string, string> } } };
    const rows = await t.api<Row[]>('/routes/p/export?format=json&class=match');
    expect(rows).toHaveLength(1);
    expect(rows[0].exchange.customer).toBe('acme');
    // A Bearer credential keeps its scheme readable, as Authorization's does (the token is fingerprinted).
    expect(rows[0].exchange.request.headers['x-session-jwt']).toMatch(/^Bearer \[REDACTED:[0-9a-f]{16}\]$/);
    expect(legacy.seen[0].headers['x-session-jwt']).toBe(`Bearer ${JWT}`);
    expect(candidate.seen[0].headers['x-session-jwt']).toBe(`Bearer ${JWT}`);
    const scan = await storedSecrets(t.prefix, new RegExp(SIGNATURE));
    expect(scan.keys).toBeGreaterThan(0);
    expect(scan.found).toEqual([]);
  });
});
