import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Whether Node's parser may have dropped some of a request's header lines. A Node server
 * keeps about the first 1,000 lines of a head (`server.maxHeadersCount`, 2,000 name and
 * value entries by default) and drops the rest without a word, while it still frames the
 * body by the lines it dropped: a Content-Length after 1,100 short lines reads the body, but
 * the relayed head has no framing line, and legacy read the body as a request of its own
 * on a pooled connection whose next answer went to another client (request smuggling).
 * `tandem serve` keeps every line (`maxHeadersCount` 0; the head is still bounded by Node's
 * 16 KB `maxHeaderSize`), so this holds only for the middleware on a host app's server that
 * keeps Node's default: such a request is refused, not relayed with lines missing.
 *
 * @example
 * headerLinesMayBeCut(req); // true for 1,000 lines or more on a server with Node's default
 */
export function headerLinesMayBeCut(req: IncomingMessage): boolean {
  const cap = (req.socket as { server?: Server } | undefined)?.server?.maxHeadersCount;
  const entries = typeof cap === 'number' ? cap * 2 : 2000;
  return entries > 0 && req.rawHeaders.length >= entries;
}

const MESSAGE =
  'the request has more header lines than this server keeps (its maxHeadersCount): some were dropped, so it cannot be relayed as sent';
const BODY = JSON.stringify({ error: 'too_many_header_lines', message: MESSAGE });
const HEAD = `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: close`;

/**
 * Answer 431 to a request whose header lines may have been cut, and close the connection
 * (its body is never read: it may be framed by a line Node dropped). Neither backend gets
 * it; refused before routing, no route counts it.
 */
export function refuseCutHeaderLines(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(431, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), connection: 'close' });
  res.end(BODY);
}

/** `refuseCutHeaderLines` for an upgrade request: the 431 written on its socket. */
export function refuseCutHeaderLinesUpgrade(socket: Duplex): void {
  socket.end(`HTTP/1.1 431 Request Header Fields Too Large\r\n${HEAD}\r\n\r\n${BODY}`);
}
