import { eventually, sendRaw, recordedPair, valueOf } from './fidelity-support';

/**
 * An absolute-form target (`GET http://other/t/x?q HTTP/1.1`) is routed on its path and both
 * backends get the same origin-form target: it matched no route (the match read the whole
 * URL) while legacy was sent `/t/x`, so it was never shadowed and counted `(unmatched)`.
 */
describe('absolute-form request target', () => {
  const p = recordedPair();

  it('matches the route on the path and sends both backends /t/x?q', async () => {
    const res = await sendRaw(p.tandem.url, { method: 'GET', path: 'http://other.example/t/x?q=%2F', headers: [['Host', 'shop.example']] });
    expect(res.status).toBe(200);
    const primary = await eventually(() => p.legacy.received.find((r) => !valueOf(r.headers, 'x-tandem-shadow')));
    expect(primary.url).toBe('/t/x?q=%2F');
    const shadow = await eventually(() => p.candidate.received[0]);
    expect(shadow.url).toBe('/t/x?q=%2F');
    const counters = await p.tandem.waitFor(async () => {
      const c = await p.tandem.counters('t');
      return c.compared === 1 && c;
    });
    expect(counters).toMatchObject({ seen: 1, shadowed: 1, compared: 1, match: 1 });
  });
});
