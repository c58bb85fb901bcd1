import type { IncomingMessage } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';

/** Bytes of legacy's response heads read, at most, to find its final status. */
const MAX_HEAD = 64 * 1024;

/** Headers of an upgrade offer: dropped, so legacy sees the plain request under it (RFC 9110 §7.8, RFC 7540 §3.2). */
const OFFER_HEADERS = new Set(['upgrade', 'connection', 'http2-settings']);

/**
 * Whether an upgrade request is a WebSocket handshake (RFC 6455 §4.1: GET with
 * `Upgrade: websocket`); any other offer (`h2c`, which `curl --http2` and several HTTP
 * clients send on `http://` URLs) is to be served as the plain request under it.
 *
 * @example
 * isWebSocketHandshake(req); // false for `Upgrade: h2c`
 */
export function isWebSocketHandshake(req: IncomingMessage): boolean {
  return (req.method ?? 'GET') === 'GET' && /(^|,)\s*websocket\s*(,|$)/i.test(String(req.headers.upgrade ?? ''));
}

/**
 * Serve an upgrade offer that is not a WebSocket handshake as the plain request under it:
 * the request goes to legacy byte for byte (its header names and order, its body as it
 * comes), without the offer's headers and with `Connection: close`, and legacy's answer
 * goes back to the client untouched, as legacy would answer a client that never offered
 * the upgrade. A legacy that cannot be reached gives a 502; one silent past `timeoutMs`, a
 * 504 if nothing was answered yet; one that closes without a word, a 502. `onAnswer` is
 * called once with the status the client got (legacy's first final status, interim 1xx
 * heads skipped, or that 502/504), to count it like any request served.
 *
 * @example
 * server.on('upgrade', (req, socket, head) => isWebSocketHandshake(req) ? ws(req, socket, head) : relayPlainRequest(req, socket, head, 'http://legacy:8080', 30_000));
 */
export function relayPlainRequest(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  legacyUrl: string,
  timeoutMs: number,
  onAnswer: (status: number) => void = () => {},
): void {
  const url = new URL(legacyUrl);
  const tls = url.protocol === 'https:';
  const port = Number(url.port) || (tls ? 443 : 80);
  const upstream = tls ? tlsConnect({ host: url.hostname, port, servername: url.hostname }) : tcpConnect(port, url.hostname);
  let answered = false;
  let counted = false;
  const answer = (status: number) => {
    if (counted) return;
    counted = true;
    onAnswer(status);
  };
  const fail = (status: string) => {
    if (!answered && socket.writable) socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
    answer(Number(status.slice(0, 3)));
    upstream.destroy();
  };
  upstream.setTimeout(timeoutMs, () => fail('504 Gateway Timeout'));
  upstream.on('error', () => fail('502 Bad Gateway'));
  socket.on('error', () => upstream.destroy());
  // Legacy's heads as they come, to count its first final status: interim 1xx heads
  // (100 Continue, 103 Early Hints) are skipped; bytes that are no status line, or a head
  // longer than MAX_HEAD, count as 502 (legacy answered something unreadable).
  let heads = '';
  const readHeads = (chunk: Buffer) => {
    answered = true;
    heads += chunk.toString('latin1');
    for (;;) {
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(heads);
      if (!status && (heads.length >= 12 || heads.includes('\n'))) break;
      const end = heads.indexOf('\r\n\r\n');
      if (!status || end < 0) {
        if (heads.length <= MAX_HEAD) return;
        break;
      }
      const code = Number(status[1]);
      if (code >= 200 || code === 101) return stop(code);
      heads = heads.slice(end + 4);
      if (!heads) return;
    }
    stop(502);
  };
  const stop = (status: number) => {
    upstream.off('data', readHeads);
    heads = '';
    answer(status);
  };
  upstream.on('data', readHeads);
  // Legacy closing: what it sent is all the client gets; closing without a word is a 502, as
  // a failed plain request is, so the client is answered and the exchange counted.
  upstream.on('end', () => {
    if (!answered) return fail('502 Bad Gateway');
    answer(502); // no-op once a final status was counted: the head ended unfinished
    socket.end();
  });
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!OFFER_HEADERS.has(req.rawHeaders[i].toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push('Connection: close');
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) upstream.write(head);
  socket.pipe(upstream).pipe(socket, { end: false });
}
