import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * Every query parameter of every report API GET endpoint goes through one check: a value
 * it does not allow is 400 `{ error, message }` naming the parameter and what it allows,
 * never a 200 with a silent fallback.
 */
describe('report API: bad query parameters are 400, naming them', () => {
  let legacy: TestBackend;
  let t: TestTandem;
  const get = async (path: string) => {
    const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const text = await res.text();
    return { status: res.status, text };
  };

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { id: 1 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    await request(`${t.url}/p/1`);
    await t.waitFor(async () => (await t.counters('product')).compared === 1);
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  // endpoint → parameter → [bad values, what the message must say is allowed]
  const ROUTE = '/routes/product';
  const FILTERS: Record<string, [string[], string]> = {
    risk: [['x', 'bogus'], 'high, medium, low'],
    class: [['nosuch'], 'mismatch'],
    offset: [['abc', '-1', '1.5'], 'whole number from 0'],
    limit: [['abc', '0', '501'], 'whole number from 1 to 500'],
    since: [['soon'], '15m, 2h or 7d'],
    from: [['yesterday'], 'epoch milliseconds or an ISO date'],
  };
  const CASES: Record<string, Record<string, [string[], string]>> = {
    '/routes': {
      sort: [['bogus'], 'worst, name, mismatches, seen, errors'],
      offset: [['abc', '-5'], 'whole number from 0'],
      limit: [['abc', '0', '1001'], 'whole number from 1 to 1000'],
      trend: [['abc', '-5', '99999'], 'whole number from 0 to 1440'],
    },
    [`${ROUTE}/summary`]: { trend: [['abc', '-1', '1441'], 'whole number from 0 to 1440'] },
    [`${ROUTE}/mismatches`]: FILTERS,
    [`${ROUTE}/export`]: { ...FILTERS, format: [['xml'], 'csv, json'] },
    [`${ROUTE}/fields/examples?path=id`]: { limit: [['abc', '0', '101'], 'whole number from 1 to 100'] },
    [`${ROUTE}/causes`]: { limit: [['abc', '0', '501'], 'whole number from 1 to 500'] },
    [`${ROUTE}/signatures`]: {
      risk: [['x'], 'high, medium, low'],
      offset: [['abc', '-1'], 'whole number from 0'],
      limit: [['abc', '0', '1001'], 'whole number from 1 to 1000'],
    },
    [`${ROUTE}/trend`]: { minutes: [['abc', '-5', '0', '1441'], 'whole number from 1 to 1440'] },
    '/customers': {
      offset: [['abc', '-1'], 'whole number from 0'],
      limit: [['abc', '0', '1001'], 'whole number from 1 to 1000'],
      customer: [['c'.repeat(201)], 'at most 200 characters'],
    },
    '/rollout/audit': { limit: [['abc', '0', '1001'], 'whole number from 1 to 1000'] },
    '/rollout/readiness/product': { customer: [['c'.repeat(201)], 'at most 200 characters'] },
  };

  it('answers 400 naming the parameter and what it allows, on every endpoint', async () => {
    const wrong: string[] = [];
    for (const [endpoint, params] of Object.entries(CASES)) {
      const sep = endpoint.includes('?') ? '&' : '?';
      expect((await get(endpoint)).status).toBe(200);
      for (const [name, [bad, allowed]] of Object.entries(params)) {
        for (const value of bad) {
          const url = `${endpoint}${sep}${name}=${encodeURIComponent(value)}`;
          const { status, text } = await get(url);
          const body = status === 400 ? (JSON.parse(text) as { error: string; message: string }) : undefined;
          if (!body || body.error !== 'bad_request' || !body.message.startsWith(`${name}: `) || !body.message.includes(allowed))
            wrong.push(`${url} → ${status} ${text.slice(0, 160)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('still takes every allowed value', async () => {
    for (const path of [
      '/routes?sort=name&limit=1000&offset=0&trend=1440',
      `${ROUTE}/signatures?risk=high&limit=1000`,
      `${ROUTE}/trend?minutes=1440`,
      `${ROUTE}/causes?limit=500`,
      `${ROUTE}/export?format=json&class=match`,
      `${ROUTE}/mismatches?risk=low&limit=500&since=1h`,
      '/rollout/audit?limit=1000',
    ])
      expect([path, (await get(path)).status]).toEqual([path, 200]);
  });
});
