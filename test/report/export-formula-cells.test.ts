import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

jest.setTimeout(60_000);

/**
 * The CSV export defuses every cell a spreadsheet could read as a formula, whichever list
 * separator it splits on. Excel in most European locales opens a `.csv` with `;` as the
 * separator, ignoring the commas and the quotes that are not at the start of one of its
 * fields: a client that puts `;=...` in its request path or customer id would start a cell
 * of its own. Real backends, real Redis, the values as a client sends them.
 */
describe('CSV export: formula cells defused for either separator', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { price: 10 } }));
    candidate = await startBackend(() => ({ body: { price: 11 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    });
    await request(`${t.url}/p/a;=1+2;+3;-4;@SUM(1)`, { headers: { 'x-customer': 'acme;=HYPERLINK(1);@x' } });
    await t.waitFor(async () => (await t.counters('p')).mismatch === 1, 20_000);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('no field starts with =, +, - or @ when a line is split on ";" or on ","', async () => {
    const res = await fetch(`${t.reportUrl}/_tandem/api/routes/p/export?format=csv`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    const row = lines[1];
    expect(row).toContain('acme;');
    expect(row).toContain('/p/a;');
    for (const sep of [';', ',']) {
      const fields = row.split(sep).map((f) => f.replace(/^"/, ''));
      expect(fields.filter((f) => /^[=+\-@\t\r]/.test(f))).toEqual([]);
    }
  });
});
