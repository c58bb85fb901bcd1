import { recordedPair } from './fidelity-support';

/**
 * A redacted value keeps its type in the comparison: the string `"1"` and the number `1`
 * (or `"null"` and `null`) under a secret name were given the same fingerprint, so a
 * candidate that changed a token's JSON type compared as a match.
 */
describe('redacted values of another JSON type', () => {
  const bodies: Record<string, [string, string]> = {
    '/t/number': ['{"token":"1"}', '{"token":1}'],
    '/t/null': ['{"token":"null"}', '{"token":null}'],
    '/t/same': ['{"token":1,"secret":{"a":[1, 2]}}', '{"token":1,"secret":{"a":[1,2]}}'],
  };
  const json = (body: string) => ({ headers: [['Content-Type', 'application/json']] as [string, string][], body });

  const p = recordedPair({ legacy: (r) => json(bodies[r.url][0]), candidate: (r) => json(bodies[r.url][1]) });

  it('is a mismatch, shown as redacted; equal values of one type still match', async () => {
    for (const path of Object.keys(bodies)) expect((await fetch(`${p.tandem.url}${path}`)).status).toBe(200);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 3);
    expect(await p.tandem.counters('t')).toMatchObject({ compared: 3, mismatch: 2, match: 1 });
    const { items } = await p.tandem.api<{ items: { id: string; path: string }[] }>('/routes/t/mismatches?limit=10');
    expect(items.map((i) => i.path).sort()).toEqual(['/t/null', '/t/number']);
    for (const { id } of items) {
      const m = await p.tandem.api<{ result: { differences: { path: string; redacted?: boolean }[] } }>(
        `/mismatches/${encodeURIComponent(id)}`,
      );
      expect(m.result.differences).toEqual([expect.objectContaining({ path: 'token', redacted: true })]);
    }
  });
});
