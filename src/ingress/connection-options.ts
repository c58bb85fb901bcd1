import type { IncomingHttpHeaders } from 'node:http';
import { connectionOptions } from '../records';

/**
 * Take a client's connection options out of its request's header map as it arrives, so
 * that no backend gets them and nothing stores them (RFC 9110 section 7.6.1: a proxy
 * removes every field `Connection` lists before forwarding). `Connection` itself keeps
 * only `close` and `keep-alive`, this connection's own options, which Node and
 * http-proxy read to answer on it (http-proxy copies the request's `Connection` onto the
 * response), and is removed when it had no other. `Upgrade` stays (the request is routed
 * on it, see `watch`). The header lines (`rawHeaders`) are left as they are: a line whose
 * name the map no longer holds is not written (see `requestHeaderLines`). `Keep-Alive`,
 * `Proxy-Connection` and `TE` are left out where the request is sent (`LEGACY_REQUEST_DROP`,
 * `REQUEST_DROP`).
 *
 * @example
 * // Connection: X-Hop, close / X-Hop: 1  ->  { connection: 'close' }
 * dropConnectionOptions(req.headers);
 */
export function dropConnectionOptions(headers: IncomingHttpHeaders): void {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive' || value === 'close') return;
  for (const name of connectionOptions(value)) if (name !== 'upgrade') delete headers[name];
  const own = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t === 'close' || t === 'keep-alive');
  if (own.length) headers.connection = own.join(', ');
  else delete headers.connection;
}

/**
 * Take a backend's connection options out of its response's header map before it is
 * relayed (RFC 9110 section 7.6.1): `Connection`, every field it lists, `Keep-Alive` and
 * `Proxy-Connection`. The client's own connection then decides `Connection` (Node, or
 * http-proxy from the request's, see `dropConnectionOptions`): legacy's
 * `Connection: keep-alive` kept a client's connection open after it sent `Connection: close`.
 *
 * @example
 * dropResponseOptions(proxyRes.headers);
 */
export function dropResponseOptions(headers: IncomingHttpHeaders): void {
  const value = headers.connection;
  if (value !== undefined) for (const name of connectionOptions(value)) delete headers[name];
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['proxy-connection'];
}
