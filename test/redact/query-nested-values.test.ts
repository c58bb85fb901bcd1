import type { ExchangeRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { scanRedis } from './secret-scan';
import { TEST_REDIS_URL } from '../support/redis';

// A query parameter's value that holds JSON or a form (`?filter={"password":..}`,
// `?next=a%3D1%26token%3D..`, a search API's filter, an OAuth `state`) is read nested under
// the parameter's name, as a form field's value and a JSON string value are: the secret
// fields inside it are fingerprinted in the parsed query and in the raw query.

const KEY = 'test-redaction-key-0123456789';
const r = createRedactor({ headers: [], bodyPaths: [] }, KEY);
const SECRET = /SECRET-[A-Za-z0-9-]+/g;

const exchange = (query: ExchangeRecord['request']['query'], rawQuery: string): ExchangeRecord => ({
  id: 'x1',
  route: 'p',
  customer: 'anonymous',
  at: 0,
  requestId: 'r1',
  request: { method: 'GET', path: '/p/1', query, rawQuery, headers: {}, body: null },
  params: {},
  legacy: { status: 200, headers: {}, body: null, durationMs: 1 },
});

describe('query values holding JSON or a form', () => {
  it('fingerprints the secret fields inside them, parsed and raw, and keeps the rest', () => {
    const filter = '{"password":"SECRET-1","q":"shoes"}';
    const next = 'page=2&access_token=SECRET-2';
    const raw = `?filter=${encodeURIComponent(filter)}&next=${encodeURIComponent(next)}&list=${encodeURIComponent('[{"token":"SECRET-3"}]')}&plain=a%3Db`;
    const out = r.exchange(exchange({ filter, next, list: ['[{"token":"SECRET-3"}]', '[]'], plain: 'a=b' }, raw));
    expect(JSON.stringify(out)).not.toMatch(SECRET);
    expect(out.request.query.filter).toMatch(/^\{"password":"\[REDACTED:[0-9a-f]{16}\]","q":"shoes"\}$/);
    expect(out.request.query.next).toMatch(/^page=2&access_token=%5BREDACTED%3A[0-9a-f]{16}%5D$/);
    expect(out.request.query.plain).toBe('a=b');
    // The raw query carries the same values, each percent-encoded in its place.
    const parsed = new URLSearchParams(out.request.rawQuery);
    expect(parsed.get('filter')).toBe(out.request.query.filter);
    expect(parsed.get('next')).toBe(out.request.query.next);
    expect(out.request.rawQuery).toContain('&plain=a%3Db');
  });

  it('keeps a query naming no secret as it is (the same object)', () => {
    const ex = exchange({ filter: '{"q":"shoes"}', next: 'page=2' }, '?filter=%7B%22q%22%3A%22shoes%22%7D&next=page%3D2');
    const out = r.exchange(ex);
    expect(out.request).toBe(ex.request);
  });
});

describe('query values holding JSON, through the proxy', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { ok: true, n: 1 } }));
    candidate = await startBackend(() => ({ body: { ok: true, n: 2 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'search', match: 'GET /search' }],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
    await candidate?.close();
  });

  it('stores no secret held in a JSON query value', async () => {
    const filter = encodeURIComponent('{"user":{"password":"SECRET-proxy-1"},"q":"V-visible"}');
    const res = await fetch(`${t.url}/search?filter=${filter}&state=${encodeURIComponent('a=1&id_token=SECRET-proxy-2')}`);
    expect(res.status).toBe(200);
    await t.waitFor(async () => (await t.counters('search')).mismatch === 1);
    const { secrets, text } = await scanRedis(TEST_REDIS_URL, t.prefix, SECRET);
    expect(secrets).toEqual([]);
    expect(text).toContain('V-visible'); // the rest of the value is stored as sent
  });
});
