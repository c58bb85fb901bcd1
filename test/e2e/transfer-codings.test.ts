import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { eventually, recordedPair, valueOf } from './fidelity-support';

/**
 * A body sent with transfer codings besides chunked (`Transfer-Encoding: gzip, chunked`)
 * reaches the candidate in those codings, as it reaches legacy: the candidate was sent the
 * de-chunked gzip bytes with a Content-Length and no Transfer-Encoding, i.e. gzip bytes it
 * would read as a plain body.
 */
describe('transfer codings besides chunked', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });

  it('relays `gzip, chunked` to the candidate with its codings, as to legacy', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    // Written by hand: Node's client does not write a body chunked under its own `gzip, chunked`.
    const u = new URL(p.tandem.url);
    const head =
      'POST /t/gz HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n';
    const reply = await new Promise<string>((done, fail) => {
      const out: Buffer[] = [];
      const c = net.connect(Number(u.port), u.hostname, () =>
        c.write(Buffer.concat([Buffer.from(head + gz.length.toString(16) + '\r\n'), gz, Buffer.from('\r\n0\r\n\r\n')])),
      );
      c.on('data', (d: Buffer) => out.push(d));
      c.on('end', () => done(Buffer.concat(out).toString('latin1')));
      c.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    const toLegacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/gz' && !valueOf(r.headers, 'x-tandem-shadow')));
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('gzip, chunked');
    const toCandidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/gz'));
    expect(valueOf(toCandidate.headers, 'transfer-encoding')).toBe('gzip, chunked');
    expect(valueOf(toCandidate.headers, 'content-length')).toBeUndefined();
    expect(toCandidate.body.equals(gz)).toBe(true);
    expect(toCandidate.headers.map(([n]) => n.toLowerCase()).slice(0, 3)).toEqual(['host', 'content-type', 'transfer-encoding']);

    const counters = await p.tandem.waitFor(async () => {
      const c = await p.tandem.counters('t');
      return c.compared === 1 && c;
    });
    expect(counters).toMatchObject({ seen: 1, compared: 1, match: 1 });
  });
});
