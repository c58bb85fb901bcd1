import { apiSend } from '../rollout/helpers';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/** A route in phase `legacy` is served by legacy and never shadowed: the exchange still ends in one counter. */
describe('a route in phase legacy', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { ok: true } }));
    candidate = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    });
    expect((await apiSend(t.reportUrl, 'PUT', '/rollout/routes/p', { phase: 'legacy', force: true })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('counts every request seen as skipped:legacy_phase, and the candidate sees none', async () => {
    await t.waitFor(async () => {
      await request(`${t.url}/p/1`);
      return ((await t.counters('p'))['skipped:legacy_phase'] ?? 0) > 0;
    });
    // once the phase applies (propagation), every request is one skip and nothing reaches the candidate
    const before = await t.counters('p');
    const mirrored = candidate.seen.length;
    for (let i = 2; i <= 4; i++) expect((await request(`${t.url}/p/${i}`)).status).toBe(200);
    const after = await t.counters('p');
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect({ seen: delta('seen'), skipped: delta('skipped:legacy_phase'), shadowed: delta('shadowed') }).toEqual({
      seen: 3,
      skipped: 3,
      shadowed: 0,
    });
    expect(candidate.seen.length).toBe(mirrored);
  });
});
