import net from 'node:net';
import { eventually, recordedPair } from './fidelity-support';

/**
 * `OPTIONS *` reaches legacy as sent: http-proxy-middleware's default path filter wants a
 * leading `/`, so Tandem answered it 404 itself while labelling it `x-served-by: legacy`.
 */
describe('OPTIONS *', () => {
  const p = recordedPair({ legacy: () => ({ status: 204, headers: [['Allow', 'GET, OPTIONS']], body: '' }) });

  it('is relayed to legacy with the target `*` and answered by it', async () => {
    const u = new URL(p.tandem.url);
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
    const got = await eventually(() => p.legacy.received[0]);
    expect([got.method, got.url]).toEqual(['OPTIONS', '*']);
    expect(p.candidate.received).toHaveLength(0);
  });
});
