import type { IncomingMessage } from 'node:http';
import type { Headers } from '../records';

/**
 * The client's headers plus the `x-forwarded-for`, `-port`, `-proto` and `-host`
 * headers the legacy proxy adds (http-proxy's `xfwd`, same values and joining), so
 * the candidate phase's legacy call and the candidate get what the proxied legacy
 * request gets.
 *
 * @example
 * forwardedHeaders(req)['x-forwarded-proto']; // 'http'
 */
export function forwardedHeaders(req: IncomingMessage): Headers {
  const headers: Headers = { ...req.headers };
  const encrypted = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const host = typeof headers.host === 'string' ? headers.host : '';
  const values: Record<string, string> = {
    for: req.socket.remoteAddress ?? '',
    port: /:(\d+)/.exec(host)?.[1] ?? (encrypted ? '443' : '80'),
    proto: encrypted ? 'https' : 'http',
  };
  for (const name of ['for', 'port', 'proto']) {
    const prev = headers[`x-forwarded-${name}`];
    headers[`x-forwarded-${name}`] = `${prev ? `${String(prev)},` : ''}${values[name]}`;
  }
  headers['x-forwarded-host'] = headers['x-forwarded-host'] || host;
  return headers;
}
