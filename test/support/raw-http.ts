import { connect } from 'node:net';

/**
 * Send raw request bytes to `url`'s host and port and read everything until the server
 * closes the connection (or 10 s pass), as text.
 *
 * @example
 * const out = await raw(tandem.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
 */
export function raw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    const s = connect(Number(port), hostname, () => s.write(text));
    s.setTimeout(10_000, () => s.destroy());
    s.on('data', (c) => chunks.push(c));
    s.on('close', () => done(Buffer.concat(chunks).toString()));
    s.on('error', fail);
  });
}
