import { eventually, sendRaw, startRecorder, valueOf, type Recorder } from './fidelity-support';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * An absolute-form target (`GET http://other/t/x?q HTTP/1.1`) is routed on its path and both
 * backends get the same origin-form target: it matched no route (the match read the whole
 * URL) while legacy was sent `/t/x`, so it was never shadowed and counted `(unmatched)`.
 */
describe('absolute-form request target', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
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

  it('matches the route on the path and sends both backends /t/x?q', async () => {
    const res = await sendRaw(tandem.url, { method: 'GET', path: 'http://other.example/t/x?q=%2F', headers: [['Host', 'shop.example']] });
    expect(res.status).toBe(200);
    const primary = await eventually(() => legacy.received.find((r) => !valueOf(r.headers, 'x-tandem-shadow')));
    expect(primary.url).toBe('/t/x?q=%2F');
    const shadow = await eventually(() => candidate.received[0]);
    expect(shadow.url).toBe('/t/x?q=%2F');
    const counters = await tandem.waitFor(async () => {
      const c = await tandem.counters('t');
      return c.compared === 1 && c;
    });
    expect(counters).toMatchObject({ seen: 1, shadowed: 1, compared: 1, match: 1 });
  });
});
