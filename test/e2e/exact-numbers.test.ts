import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiSend } from '../rollout/helpers';
import { startBackend, type TestBackend } from '../support/backends';
import { tempDir } from '../support/processes';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/** A request translator that changes the body (so it is re-encoded) and the path. */
const ADD_CURRENCY = `module.exports = {
  name: 'add-currency',
  request: (req) => ({ ...req, path: '/v2' + req.path, body: { ...req.body, currency: 'EUR' } }),
};`;

const BIG = '12345678901234567891';
const ROUNDED = String(Number(BIG)); // what a double makes of it: 12345678901234567000

/**
 * Ids past 2^53 through a real Tandem: kept exact through translators (request body
 * re-encoded, response served translated), and a candidate that rounds them is a
 * mismatch that keeps the readiness guard shut.
 */
describe('big numbers stay exact end to end', () => {
  const dir = tempDir('exact-numbers');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let candidateId = BIG;

  beforeAll(async () => {
    writeFileSync(join(dir.path, 'add-currency.js'), ADD_CURRENCY);
    legacy = await startBackend((r) => (r.method === 'POST' ? { status: 201, raw: '{"ok":true}' } : { raw: `{"id":${BIG},"name":"Mug"}` }));
    candidate = await startBackend((r) =>
      r.method === 'POST' ? { status: 201, raw: '{"ok":true}' } : { raw: `{"id":${candidateId},"title":"Mug"}` },
    );
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      translators: [join(dir.path, 'add-currency.js')],
      rollout: { threshold: 0.9, window: 10, minCompared: 2 },
      routes: [
        { name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' },
        { name: 'transfer', match: 'POST /transfers', mirrorWrites: true, translator: 'add-currency' },
      ],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  it('a mirrored write reaches the candidate with its numbers as sent', async () => {
    const body = `{"fromAccount":${BIG},"amount":0.1000000000000000055511151231257827}`;
    expect((await request(`${t.url}/transfers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(
      201,
    );
    await t.waitFor(async () => candidate.seen.some((r) => r.url === '/v2/transfers'));
    expect(candidate.seen.find((r) => r.url === '/v2/transfers')?.body).toBe(
      `{"fromAccount":${BIG},"amount":0.1000000000000000055511151231257827,"currency":"EUR"}`,
    );
  });

  it('a candidate that rounds an id is a mismatch and the guard stays shut', async () => {
    candidateId = ROUNDED;
    for (let i = 0; i < 3; i++) await request(`${t.url}/api/v1/products/${i}`);
    await t.waitFor(async () => ((await t.counters('product')).compared ?? 0) >= 3);
    expect(await t.counters('product')).toMatchObject({ mismatch: 3 });
    const { items } = await t.api('/routes/product/mismatches');
    const m = await t.api(`/mismatches/${items[0].id}`);
    expect(m.result.differences).toEqual([{ path: 'id', kind: 'changed', legacy: BIG, candidate: ROUNDED, digits: 'both' }]);
    expect(await t.api('/rollout/readiness/product')).toMatchObject({ matchRate: 0, ready: false });
  });

  it('an exact candidate matches, and in the candidate phase clients are served the exact id', async () => {
    candidateId = BIG;
    await request(`${t.url}/api/v1/products/9`);
    await t.waitFor(async () => ((await t.counters('product')).match ?? 0) >= 1);
    expect((await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate', force: true })).status).toBe(
      200,
    );
    const served = await request(`${t.url}/api/v1/products/9`, { headers: { 'x-customer': 'acme' } });
    expect(served.headers['x-served-by']).toBe('candidate');
    expect(served.body.toString()).toBe(`{"id":${BIG},"name":"Mug"}`);
  });
});
