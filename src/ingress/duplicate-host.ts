import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Whether a request's header lines (`rawHeaders`) hold more than one Host line. RFC 9112
 * section 3.2: a server MUST answer 400 to such a request. Tandem does, as nginx does,
 * before routing it: relayed, legacy and the candidate would each pick a Host of their own
 * (Node keeps the first, other servers the last), and a Host-routed backend or a cache in
 * front of it could serve one tenant's page under another's name.
 *
 * @example
 * hasDuplicateHost(['Host', 'a', 'host', 'b']); // true
 */
export function hasDuplicateHost(lines: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < lines.length; i += 2) {
    const name = lines[i];
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}

const MESSAGE = 'the request has more than one Host header line (RFC 9112 section 3.2)';
const BODY = JSON.stringify({ error: 'duplicate_host', message: MESSAGE });

/**
 * Answer 400 to a request with more than one Host line and close the connection (its
 * body, if any, is never read: nothing after it on the connection can be trusted to be
 * framed as the client meant). Neither backend gets the request; it matches no route,
 * so no route counts it.
 */
export function refuseDuplicateHost(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), connection: 'close' });
  res.end(BODY);
}

/** `refuseDuplicateHost` for an upgrade request (a WebSocket handshake, an h2c offer): the 400 written on its socket. */
export function refuseDuplicateHostUpgrade(socket: Duplex): void {
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: close\r\n\r\n${BODY}`,
  );
}
