import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { requestBytes } from '../../src/upstream/request-bytes';

/** The bytes a raw TCP server receives for one request written by `write`, up to the end of the chunked body. */
async function received(write: (port: number) => void): Promise<string> {
  let got = '';
  const server = net.createServer((s) =>
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.endsWith('\r\n\r\n') && /\r\n0\r\n/.test(got)) s.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  write((server.address() as AddressInfo).port);
  await new Promise<void>((r, j) => {
    const done = () => (clearInterval(t), clearTimeout(limit));
    const t = setInterval(() => got.endsWith('\r\n\r\n') && /\r\n0\r\n/.test(got) && (done(), r()), 10);
    const limit = setTimeout(() => (done(), j(new Error(`incomplete: ${JSON.stringify(got)}`))), 10_000);
  });
  await new Promise((r) => server.close(r));
  return got;
}

/**
 * The pool's request bytes with trailers are the bytes Node's client writes with
 * `addTrailers` (the other path to an upstream): the last chunk, then the trailer lines
 * as given (casing, order, repeats).
 */
describe('requestBytes with trailers', () => {
  const lines = ['Host', 'x.example', 'Transfer-Encoding', 'chunked', 'Trailer', 'X-Checksum, x-sig'];
  const trailers = ['X-Checksum', 'abc', 'x-sig', '1', 'x-sig', '2'];
  const body = Buffer.from('{"a":1}');

  it('writes what Node writes', async () => {
    const node = await received((port) => {
      const agent = new http.Agent({ keepAlive: true });
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/p', headers: lines, agent });
      req.on('error', () => undefined);
      req.on('response', (res) => (res.resume(), agent.destroy()));
      req.addTrailers([
        ['X-Checksum', 'abc'],
        ['x-sig', '1'],
        ['x-sig', '2'],
      ]);
      req.end(body);
    });
    const out = requestBytes('POST', '/p', lines, body, trailers);
    const ours = out.head.toString('latin1') + (out.body?.toString('latin1') ?? '');
    expect(ours).toBe(node);
    expect(ours.endsWith('\r\n0\r\nX-Checksum: abc\r\nx-sig: 1\r\nx-sig: 2\r\n\r\n')).toBe(true);
  });

  it('refuses a trailer line that could split the message', () => {
    expect(() => requestBytes('POST', '/p', lines, body, ['X-Checksum', 'a\r\nx: y'])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_CHAR' }),
    );
    expect(() => requestBytes('POST', '/p', lines, body, ['X Bad', 'a'])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_HTTP_TOKEN' }),
    );
  });

  it('leaves the last chunk bare without trailers', () => {
    expect(requestBytes('POST', '/p', lines, body).body?.toString('latin1').endsWith('\r\n0\r\n\r\n')).toBe(true);
  });
});
