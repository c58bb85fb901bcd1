import { connect } from 'node:net';
import { recordedPair } from './fidelity-support';

/** Write `raw` on a fresh connection to `base` and read until the server closes it. */
function exchange(base: string, raw: string): Promise<string> {
  const u = new URL(base);
  return new Promise((done, fail) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(raw));
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('close', () => done(out));
    socket.on('error', fail);
  });
}

/**
 * RFC 9112 section 3.2: a server MUST answer 400 to a request with more than one Host line.
 * Tandem relayed the first line to legacy and to the candidate (a rebuild of what the client
 * sent, and a Host that a backend reading the last line would not have seen); it now answers
 * 400 as nginx does, and neither backend gets the request.
 */
describe('a request with two Host lines', () => {
  const p = recordedPair();

  it('is answered 400 and reaches neither backend, on a route, off one, and as an upgrade', async () => {
    const on = await exchange(p.tandem.url, 'GET /t/1?a=1 HTTP/1.1\r\nHost: a.example\r\nX-A: 1\r\nhost: b.example\r\n\r\n');
    expect(on).toMatch(/^HTTP\/1\.1 400 /);
    expect(on).toContain('"error":"duplicate_host"');
    const off = await exchange(p.tandem.url, 'POST /other HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\nContent-Length: 2\r\n\r\n{}');
    expect(off).toMatch(/^HTTP\/1\.1 400 /);
    const ws = await exchange(
      p.tandem.url,
      'GET /t/ws HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(ws).toMatch(/^HTTP\/1\.1 400 /);
    // One Host line is served as always, on the same kind of connection.
    const one = await exchange(p.tandem.url, 'GET /t/2 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
    expect(one).toMatch(/^HTTP\/1\.1 200 /);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 1);
    expect(p.legacy.received.map((r) => r.url)).toEqual(['/t/2']);
    expect(p.candidate.received.map((r) => r.url)).toEqual(['/t/2']);
    // Refused before routing: the route counts only the request it served, and its counts add up.
    expect(await p.tandem.counters('t')).toMatchObject({ seen: 1, compared: 1 });
  });
});
