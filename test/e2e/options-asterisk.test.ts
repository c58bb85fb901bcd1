import net from 'node:net';
import { eventually, startRecorder, type Recorder } from './fidelity-support';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * `OPTIONS *` reaches legacy as sent: http-proxy-middleware's default path filter wants a
 * leading `/`, so Tandem answered it 404 itself while labelling it `x-served-by: legacy`.
 */
describe('OPTIONS *', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: TestTandem;

  beforeAll(async () => {
    legacy = await startRecorder(() => ({ status: 204, headers: [['Allow', 'GET, OPTIONS']], body: '' }));
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

  it('is relayed to legacy with the target `*` and answered by it', async () => {
    const u = new URL(tandem.url);
    const reply = await new Promise<string>((done, fail) => {
      const out: Buffer[] = [];
      const c = net.connect(Number(u.port), u.hostname, () =>
        c.write('OPTIONS * HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n'),
      );
      c.on('data', (d: Buffer) => out.push(d));
      c.on('end', () => done(Buffer.concat(out).toString('latin1')));
      c.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 204 /);
    expect(reply).toMatch(/\r\nAllow: GET, OPTIONS\r\n/i);
    const got = await eventually(() => legacy.received[0]);
    expect([got.method, got.url]).toEqual(['OPTIONS', '*']);
    expect(candidate.received).toHaveLength(0);
  });
});
