import type { RequestRecord } from '../records';

/**
 * A request as one line, method, path and query: `GET /posts?page=2&sort=new`. The
 * query is what tells list requests apart, so every list shows it. Uses the raw query
 * string when the record keeps one (`rawQuery`), else rebuilds it from the query map
 * in its order (already redacted where the config says so).
 *
 * @example
 * requestLine({ method: 'GET', path: '/posts', query: { page: '2' } }); // 'GET /posts?page=2'
 */
export function requestLine(req: Pick<RequestRecord, 'method' | 'path' | 'query'> & { rawQuery?: string }): string {
  let qs = typeof req.rawQuery === 'string' ? req.rawQuery.replace(/^\?/, '') : '';
  if (!qs && req.query) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    qs = p.toString();
  }
  return `${req.method} ${req.path}${qs ? `?${qs}` : ''}`;
}
