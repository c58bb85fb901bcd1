import type { ServerResponse } from 'node:http';

/**
 * Whether a request URL is `base` or below it (`/_tandem`, `/_tandem/x`, `/_tandem?x`; not `/_tandemx`).
 *
 * @example
 * underPath('/_tandem/api/routes', '/_tandem'); // true
 */
export function underPath(url: string, base: string): boolean {
  if (!url.startsWith(base)) return false;
  const next = url.charCodeAt(base.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63; /* ? */
}

/**
 * The end of the chain without express: http-proxy-middleware could not prepare the
 * request (it answers proxy errors itself), or passed it on (404).
 *
 * @example
 * proxy(req, res, (err) => proxyFailed(res, err));
 */
export function proxyFailed(res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void res.destroy();
  const [status, text] = err ? [502, `proxy error: ${err instanceof Error ? err.message : String(err)}`] : [404, 'not found'];
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}
