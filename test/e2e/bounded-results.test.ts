import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

jest.setTimeout(120_000);

/**
 * Unbounded results (issue 14 #6) through a real proxy, worker and Redis: one pair of
 * about 1.9 MB bodies with 100,000 differing values is one mismatch that keeps
 * `retention.maxDifferences` (500 here) differences and counts 99,500 more, in a record under `retention.maxRecordBytes`.
 */
describe('bounded results end to end', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const rows = (v: number) => ({ items: Array.from({ length: 100_000 }, (_, i) => ({ i, v: v + i })) });

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: rows(0) }));
    candidate = await startBackend(() => ({ body: rows(1) }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: 4 * 1024 * 1024 },
      retention: { maxRecordBytes: 1024 * 1024, maxDifferences: 500 },
      routes: [{ name: 'rows', match: 'GET /rows' }],
    });
    expect((await request(`${t.url}/rows`)).body.length).toBeGreaterThan(1_800_000);
    await t.waitFor(async () => (await t.counters('rows')).compared === 1, 60_000);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('keeps 500 differences, counts 99,500 more, and stores the record under the cap', async () => {
    expect(await t.counters('rows')).toMatchObject({ compared: 1, mismatch: 1 });
    const page = await t.api('/routes/rows/mismatches');
    expect(page.items).toHaveLength(1);
    expect(page.items[0].differences).toBe(100_000);
    const res = await fetch(`${t.reportUrl}/_tandem/api/mismatches/${page.items[0].id}`, {
      headers: { authorization: 'Bearer test-token-0123456789abcdef' },
    });
    const text = await res.text();
    expect(text.length).toBeLessThanOrEqual(1024 * 1024 + 4096);
    const m = JSON.parse(text);
    expect(m.result.differences).toHaveLength(500);
    expect(m.result.omittedDifferences).toBe(99_500);
    expect(m.result.signature).toBe('items[*].v');
    expect(m.exchange.storedWithout).toEqual(expect.arrayContaining(['legacy.body', 'candidate.body']));
  });
});
