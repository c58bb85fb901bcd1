import type { IncomingMessage } from 'node:http';
import type { Headers } from '../records';

/**
 * Append this hop to a request's `x-forwarded-for`, `-port` and `-proto` (each joined to a
 * value already there with `,`, as http-proxy's `xfwd` did) and set `x-forwarded-host` when
 * there is none (to the Host), in `headers` (changed in place; Tandem always adds them):
 * `for` is the address of the peer connected to Tandem, `port` the port it connected to
 * (the listening port, `req.socket.localPort`, as nginx's `$server_port`, Envoy and cloud
 * load balancers give it; the scheme's default port when the socket has none), never the
 * Host header's port, which the client chooses; `proto` the connection's scheme (`ws`/`wss`
 * for a WebSocket handshake, as http-proxy writes it).
 *
 * @example
 * addForwarded(req.headers, req); // a client on 127.0.0.1 to port 8080: x-forwarded-port '8080'
 */
export function addForwarded(headers: Headers, req: IncomingMessage, websocket = false): void {
  const encrypted = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const port = req.socket.localPort;
  const values: Record<string, string> = {
    for: req.socket.remoteAddress ?? '',
    port: port ? String(port) : encrypted ? '443' : '80',
    proto: `${websocket ? 'ws' : 'http'}${encrypted ? 's' : ''}`,
  };
  for (const name of ['for', 'port', 'proto']) {
    const prev = headers[`x-forwarded-${name}`];
    headers[`x-forwarded-${name}`] = `${prev ? `${String(prev)},` : ''}${values[name]}`;
  }
  headers['x-forwarded-host'] = headers['x-forwarded-host'] || (typeof headers.host === 'string' ? headers.host : '');
}

/**
 * The client's headers plus the `x-forwarded-*` headers the legacy proxy adds (see
 * `addForwarded`), so the candidate phase's legacy call and the candidate get what the
 * proxied legacy request gets.
 *
 * @example
 * forwardedHeaders(req)['x-forwarded-proto']; // 'http'
 */
export function forwardedHeaders(req: IncomingMessage): Headers {
  const headers: Headers = { ...req.headers };
  addForwarded(headers, req);
  return headers;
}
