import type { IncomingMessage } from 'node:http';

/** An absolute-form request target (`http://host/path?q`, RFC 9112 section 3.2.2): its scheme and authority. */
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

/**
 * Turn an absolute-form target (`GET http://host/api/x?q HTTP/1.1`) into its origin form
 * (`/api/x?q`, or `/` when it has no path) on the request, so routes match its path and
 * legacy and the candidate are sent the same target (legacy's proxy would send the path,
 * the route match read the whole URL). The path and query bytes are kept as sent; the
 * authority is dropped (the Host header is relayed per each backend's Host policy).
 * Express's `originalUrl` follows when it is the same target. Any other target is left alone.
 *
 * @example
 * toOriginForm(req); // req.url 'http://a/api/x?q=1' becomes '/api/x?q=1'
 */
export function toOriginForm(req: IncomingMessage & { originalUrl?: string }): void {
  const url = req.url;
  if (!url || url[0] === '/') return;
  const m = ABSOLUTE.exec(url);
  if (!m) return;
  let rest = url.slice(m[0].length);
  if (rest[0] !== '/') rest = `/${rest}`;
  if (req.originalUrl === url) req.originalUrl = rest;
  req.url = rest;
}
