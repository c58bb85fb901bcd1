import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

/**
 * A fresh self-signed certificate for `127.0.0.1` and `localhost` (P-256, valid 2 days),
 * made with `openssl`, as PEM text. Nothing trusts it: a client verifying certificates
 * refuses it unless given it as a CA (`createUpstream`'s `ca`).
 */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
      ].concat(['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A raw TLS backend on 127.0.0.1 with a self-signed certificate (`cert`, PEM): for each request head it
 * reads (bodies are not read), `answer` writes to the socket what it likes, as latin1 bytes.
 *
 * @example
 * const srv = await startRawTlsServer((head, s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
 */
export async function startRawTlsServer(
  answer: (head: string, socket: tls.TLSSocket) => void,
): Promise<{ url: string; cert: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<tls.TLSSocket>();
  let connections = 0;
  const pem = selfSignedCert();
  const server = tls.createServer(pem, (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      for (let end = got.indexOf('\r\n\r\n'); end >= 0; end = got.indexOf('\r\n\r\n')) {
        const head = got.slice(0, end);
        got = got.slice(end + 4);
        answer(head, socket);
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cert: pem.cert,
    connections: () => connections,
    close: () => (sockets.forEach((s) => s.destroy()), new Promise<void>((r) => server.close(() => r()))),
  };
}

/**
 * Write `head`, then `unit` again and again (as fast as the client reads) until the
 * connection closes: an upstream that never finishes its answer.
 */
export function writeEndlessly(
  socket: NodeJS.WritableStream & { on(e: 'close', f: () => void): unknown },
  head: string,
  unit: string,
): void {
  const block = Buffer.from(unit.repeat(Math.ceil((64 * 1024) / unit.length)), 'latin1');
  let open = true;
  socket.on('close', () => (open = false));
  const more = () => {
    while (open && socket.write(block));
    if (open) socket.once('drain', more);
  };
  socket.write(Buffer.from(head, 'latin1'));
  more();
}
