import { connect } from 'node:net';

/**
 * Send raw request bytes to `url`'s host and port and read everything until the server
 * closes the connection (or 10 s pass), as text.
 *
 * @example
 * const out = await raw(tandem.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
 */
export async function raw(url: string, text: string): Promise<string> {
  return (await rawBytes(url, text, 'utf8')).toString();
}

/**
 * `raw`, as bytes: `text` is sent in `encoding` (latin1 by default, one byte per character,
 * so obs-text bytes are sent as written) and the answer returned unchanged.
 *
 * @example
 * const { status, lines } = responseLines(await rawBytes(tandem.url, 'GET /t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
 */
export function rawBytes(url: string, text: string, encoding: BufferEncoding = 'latin1'): Promise<Buffer> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    const s = connect(Number(port), hostname, () => s.write(Buffer.from(text, encoding)));
    s.setTimeout(10_000, () => s.destroy());
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => done(Buffer.concat(chunks)));
    s.on('error', fail);
  });
}

/**
 * A response's status line, its header lines as written (without Date, Connection and
 * Keep-Alive, which are the connection's own) and the rest, from raw bytes read as latin1.
 */
export function responseLines(bytes: Buffer): { status: string; lines: string[]; rest: string } {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const [status, ...lines] = text.slice(0, end).split('\r\n');
  return { status, lines: lines.filter((l) => !/^(date|connection|keep-alive):/i.test(l)), rest: text.slice(end + 4) };
}
