import type { ExchangeRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { startBackend, type TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { scanRedis } from './secret-scan';

// A header whose value is a credential by its form (a JSON Web Token anywhere in it, or a
// `Bearer`/`Basic` credential) is secret whatever its name: gateways pass tokens on under
// names of their own (`X-Goog-IAP-JWT-Assertion`, `X-Jwt`, `X-Upstream-Auth-Value`...).

const KEY = 'test-redaction-key-0123456789';
const r = createRedactor({ headers: [], bodyPaths: [] }, KEY);
const SECRET = /SECRET[A-Za-z0-9-]*/g;
/** A JWS whose payload says SECRET (`{"sub":"SECRET-jwt"}`) and whose signature is SECRET-sig. */
const JWT = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"SECRET-jwt"}').toString('base64url')}.SECRET-sig`;

const exchange = (headers: Record<string, string>, lines: string[]): ExchangeRecord => ({
  id: 'x1',
  route: 'p',
  customer: 'anonymous',
  at: 0,
  requestId: 'r1',
  request: { method: 'GET', path: '/p/1', query: {}, headers, headerLines: lines, body: null },
  params: {},
  legacy: {
    status: 200,
    headers: { 'x-id-assertion': JWT, 'www-authenticate': 'Basic realm="SECRET-realm-is-no-secret"' },
    body: null,
    durationMs: 1,
  },
});

describe('header values that are credentials by their form', () => {
  it('fingerprints a JWT or a Bearer/Basic credential under any name, in the map and the lines, keeping the scheme', () => {
    const headers = {
      'x-goog-iap-jwt-assertion': JWT,
      'x-upstream': 'Bearer SECRET-bearer',
      'x-fwd': 'basic U0VDUkVULWJhc2lj',
      'x-plain': 'v',
    };
    const lines = [
      'X-Goog-IAP-JWT-Assertion',
      JWT,
      'X-Upstream',
      'Bearer SECRET-bearer',
      'X-Fwd',
      'basic U0VDUkVULWJhc2lj',
      'X-Plain',
      'v',
    ];
    const out = r.exchange(exchange(headers, lines));
    const text = JSON.stringify(out);
    expect(text.match(SECRET)).toEqual(['SECRET-realm-is-no-secret']);
    expect(text).not.toContain('U0VDUkVULWJhc2lj');
    expect(out.request.headers['x-upstream']).toMatch(/^Bearer \[REDACTED:[0-9a-f]{16}\]$/);
    expect(out.request.headers['x-fwd']).toMatch(/^basic \[REDACTED:[0-9a-f]{16}\]$/);
    expect(out.request.headers['x-plain']).toBe('v');
    expect(out.request.headerLines).toEqual([
      'X-Goog-IAP-JWT-Assertion',
      out.request.headers['x-goog-iap-jwt-assertion'],
      'X-Upstream',
      out.request.headers['x-upstream'],
      'X-Fwd',
      out.request.headers['x-fwd'],
      'X-Plain',
      'v',
    ]);
    // A challenge naming a scheme (WWW-Authenticate) is no credential: kept in clear as before.
    expect(out.legacy.headers['www-authenticate']).toBe('Basic realm="SECRET-realm-is-no-secret"');
  });

  it('keeps headers whose values are no credential as they are (the same object)', () => {
    const ex = exchange({ 'x-b': 'basically fine', accept: 'application/json', 'x-eyj': 'eyJ but no dots' }, ['X-B', 'basically fine']);
    const out = r.request(ex.request);
    expect(out).toBe(ex.request);
  });
});

describe('credential header values, through the proxy', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  beforeAll(async () => {
    legacy = await startBackend(() => ({ headers: { 'x-session-assertion-v2': JWT }, body: { n: 1 } }));
    candidate = await startBackend(() => ({ body: { n: 2 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
    await candidate?.close();
  });

  it('stores no JWT or bearer credential sent under a header name of its own', async () => {
    const res = await request(`${t.url}/p/1`, {
      headers: { 'x-goog-iap-jwt-assertion': JWT, 'x-upstream': 'Bearer SECRET-bearer', 'x-visible': 'V-visible' },
    });
    expect(res.status).toBe(200);
    await t.waitFor(async () => (await t.counters('p')).mismatch === 1);
    const { secrets, text } = await scanRedis(TEST_REDIS_URL, t.prefix, SECRET);
    expect(secrets).toEqual([]);
    expect(text).toContain('V-visible');
  });
});
