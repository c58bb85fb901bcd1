import { eventually, sendRaw, recordedPair, valueOf } from './fidelity-support';

/**
 * The request target reaches legacy as the client sent it, as it reaches the candidate:
 * http-proxy's own join of legacy.url's path and the target (url.parse, then urlJoin)
 * turned `\` into `/` and collapsed `//`, so legacy served `/t/a/b` for `/t//a\b` while
 * the candidate got `/t//a\b` (a false mismatch, and legacy serving another path than
 * the one the client asked for).
 */
describe('request target as sent', () => {
  // legacy.url's own path is still put in front of the target.
  const p = recordedPair({ legacyUrl: (url) => `${url}/base/` });

  it('keeps `//` and `\\` in the path for legacy, on a route and off one', async () => {
    const path = '/t//a\\b/%2F..//c?q=//x\\y&r=http://z';
    const res = await sendRaw(p.tandem.url, { method: 'GET', path, headers: [['Host', 'shop.example']] });
    expect(res.status).toBe(200);
    const primary = await eventually(() => p.legacy.received.find((r) => !valueOf(r.headers, 'x-tandem-shadow')));
    expect(primary.url).toBe(`/base${path}`);
    const shadow = await eventually(() => p.candidate.received[0]);
    expect(shadow.url).toBe(path);

    const unmatched = '//u\\v//w';
    expect((await sendRaw(p.tandem.url, { method: 'GET', path: unmatched, headers: [['Host', 'shop.example']] })).status).toBe(200);
    expect((await eventually(() => p.legacy.received[1])).url).toBe(`/base${unmatched}`);

    const counters = await p.tandem.waitFor(async () => {
      const c = await p.tandem.counters('t');
      return c.compared === 1 && c;
    });
    // Both backends answered the same request: a match (it was a mismatch on `path`).
    expect(counters).toMatchObject({ seen: 1, shadowed: 1, compared: 1, match: 1 });
  });
});
