import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { writeTranslatorModule, type TranslatorModule } from '../support/translator-module';

jest.setTimeout(60_000);

/**
 * Counts that reconcile (issue 16 #8), with real backends, a worker and Redis: an
 * exchange whose request translator failed is `untranslated`, not `shadowed` (the
 * candidate never saw it), and exports carry `duplicates`, so their rows add up to the
 * `mismatch` counter.
 */
describe('counts that reconcile', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let translator: TranslatorModule;

  beforeAll(async () => {
    translator = writeTranslatorModule(
      "module.exports = { name: 'odd-fails', request: (req) => { if (Number(req.params.id) % 2) throw new Error('odd id'); return req; } };\n",
    );
    legacy = await startBackend((req) => ({ body: { url: req.url.replace(/\?.*/, ''), price: 10 } }));
    candidate = await startBackend((req) => ({ body: { url: req.url.replace(/\?.*/, ''), price: req.url.startsWith('/dup/') ? 11 : 10 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      translators: [translator.path],
      routes: [
        { name: 'tr', match: 'GET /tr/:id', translator: 'odd-fails' },
        { name: 'dup', match: 'GET /dup/:id' },
      ],
    });
    for (let i = 1; i <= 4; i++) await request(`${t.url}/tr/${i}`);
    // three identical pairs (one stored, two duplicates) and one other mismatch
    for (const q of ['a', 'b', 'c']) await request(`${t.url}/dup/1?${q}`);
    await request(`${t.url}/dup/2`);
    await t.waitFor(async () => (await t.counters('tr')).compared === 4 && (await t.counters('dup')).compared === 4, 20_000);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    translator?.remove();
  });

  it('counts a failed request translation as untranslated, never as shadowed', async () => {
    const c = await t.counters('tr');
    expect(c).toMatchObject({ seen: 4, shadowed: 2, untranslated: 2, compared: 4, match: 2, translation_error: 2 });
    expect(candidate.seen.filter((r) => r.url.startsWith('/tr/'))).toHaveLength(2);
    // every accepted exchange in one counter: seen = compared + skipped + dropped; shadowed and untranslated split the way there
    const sum = (p: string) =>
      Object.entries(c)
        .filter(([k]) => k.startsWith(p))
        .reduce((n, [, v]) => n + v, 0);
    expect(c.compared + sum('skipped:') + sum('dropped:')).toBe(c.seen);
    expect(c.shadowed + c.untranslated).toBe(c.compared);
    const { routes } = await t.api('/routes');
    expect(routes.find((r: { name: string }) => r.name === 'tr')).toMatchObject({ shadowed: 2, untranslated: 2 });
    const text = await t.server.middleware.runtime.metrics.text();
    expect(text).toMatch(/^tandem_untranslated_total\{route="tr"\} 2$/m);
    expect(text).toMatch(/^tandem_shadowed_total\{route="tr"\} 2$/m);
  });

  it('exports carry duplicates: 1 + duplicates over the rows is the mismatch counter', async () => {
    const c = await t.counters('dup');
    expect(c.mismatch).toBe(4);
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const rows = (await (await fetch(`${t.reportUrl}/_tandem/api/routes/dup/export?format=json`, { headers: auth })).json()) as {
      duplicates: number;
    }[];
    expect(rows.map((r) => r.duplicates).sort()).toEqual([0, 2]);
    expect(rows.reduce((n, r) => n + 1 + r.duplicates, 0)).toBe(c.mismatch);
    const csv = (await (await fetch(`${t.reportUrl}/_tandem/api/routes/dup/export?format=csv`, { headers: auth })).text())
      .trim()
      .split('\r\n');
    const header = csv[0].split(',');
    expect(header.at(-1)).toBe('duplicates');
    const dupCol = csv.slice(1).map((l) => Number(l.split(',').at(-1)));
    expect(dupCol.reduce((n, d) => n + 1 + d, 0)).toBe(c.mismatch);
  });
});
