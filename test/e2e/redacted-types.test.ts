import { startRecorder, type Recorder } from './fidelity-support';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * A redacted value keeps its type in the comparison: the string `"1"` and the number `1`
 * (or `"null"` and `null`) under a secret name were given the same fingerprint, so a
 * candidate that changed a token's JSON type compared as a match.
 */
describe('redacted values of another JSON type', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;
  const bodies: Record<string, [string, string]> = {
    '/t/number': ['{"token":"1"}', '{"token":1}'],
    '/t/null': ['{"token":"null"}', '{"token":null}'],
    '/t/same': ['{"token":1,"secret":{"a":[1, 2]}}', '{"token":1,"secret":{"a":[1,2]}}'],
  };
  const json = (body: string) => ({ headers: [['Content-Type', 'application/json']] as [string, string][], body });

  beforeAll(async () => {
    legacy = await startRecorder((r) => json(bodies[r.url][0]));
    candidate = await startRecorder((r) => json(bodies[r.url][1]));
    tandem = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'GET /t/*' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('is a mismatch, shown as redacted; equal values of one type still match', async () => {
    for (const path of Object.keys(bodies)) expect((await fetch(`${tandem.url}${path}`)).status).toBe(200);
    await tandem.waitFor(async () => (await tandem.counters('t')).compared === 3);
    expect(await tandem.counters('t')).toMatchObject({ compared: 3, mismatch: 2, match: 1 });
    const { items } = await tandem.api<{ items: { id: string; path: string }[] }>('/routes/t/mismatches?limit=10');
    expect(items.map((i) => i.path).sort()).toEqual(['/t/null', '/t/number']);
    for (const { id } of items) {
      const m = await tandem.api<{ result: { differences: { path: string; redacted?: boolean }[] } }>(
        `/mismatches/${encodeURIComponent(id)}`,
      );
      expect(m.result.differences).toEqual([expect.objectContaining({ path: 'token', redacted: true })]);
    }
  });
});
