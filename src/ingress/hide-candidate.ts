import type { IncomingMessage } from 'node:http';
import type { Headers } from '../records';

/**
 * Response headers naming the candidate's internal address (`Location`,
 * `Content-Location`) rewritten to the address the client used, so a candidate
 * serving clients does not leak where it runs: `http://10.0.0.7:8080/orders/9`
 * becomes `https://shop.example/orders/9` (the client's Host and scheme, the
 * candidate URL's base path removed), or `/orders/9` when the client sent no Host.
 * Other values are left alone. Returns a new header map.
 *
 * @example
 * hideCandidateAddress({ location: 'http://127.0.0.1:3002/x' }, new URL('http://127.0.0.1:3002'), req).location; // 'http://shop.example/x'
 */
export function hideCandidateAddress(headers: Headers, candidate: URL, req: IncomingMessage): Headers {
  let out: Headers | null = null;
  for (const name of ['location', 'content-location']) {
    const v = headers[name];
    if (typeof v !== 'string') continue;
    const rewritten = rewrite(v, candidate, req);
    if (rewritten === v) continue;
    out ??= { ...headers };
    out[name] = rewritten;
  }
  return out ?? headers;
}

function rewrite(value: string, candidate: URL, req: IncomingMessage): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return value;
  }
  if (u.host.toLowerCase() !== candidate.host.toLowerCase()) return value;
  const base = candidate.pathname.replace(/\/$/, '');
  const path = base && u.pathname.startsWith(`${base}/`) ? u.pathname.slice(base.length) : u.pathname;
  const rest = `${path}${u.search}${u.hash}`;
  const host = req.headers.host;
  if (!host) return rest;
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    .trim();
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : 'encrypted' in req.socket ? 'https' : 'http';
  return `${proto}://${host}${rest}`;
}
