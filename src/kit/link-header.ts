import type { TranslatableRequest } from '../translate/types';
import { headerValue } from '../records';
import { writePosition, type PagingScheme, type Position } from './paging';

/**
 * An RFC 8288 `Link` header for a page of a list, built from the client's request: the
 * same path and query with the paging parameters of each relation. `first` always;
 * `prev` after the first page; `next` while more remain (by total, or, without a total,
 * when the page came back full); `last` with a total. Cursor schemes get `first`, `prev`
 * and `next` only. `origin` (e.g. `https://api.example`) makes the targets absolute;
 * without it they are relative references (RFC 3986 section 4.2). Empty string when the
 * request named no page size.
 *
 * @example
 * linkHeader(req, paging.pageLimit, { offset: 10, size: 10, total: 25, count: 10 });
 * // '</orders?page=1&limit=10>; rel="first", </orders?page=1&limit=10>; rel="prev", </orders?page=3&limit=10>; rel="next", </orders?page=3&limit=10>; rel="last"'
 */
export function linkHeader(
  req: Pick<TranslatableRequest, 'path' | 'query' | 'headers'>,
  scheme: PagingScheme,
  page: Position & { total?: number; count: number },
  origin?: string,
): string {
  const size = page.size;
  if (!size) return '';
  const target = (offset: number): string => {
    const q = writePosition(req.query, { offset, size }, scheme);
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) search.append(k, x);
    const qs = search.toString();
    return `<${origin ?? ''}${req.path}${qs ? `?${qs}` : ''}>`;
  };
  const links: string[] = [`${target(0)}; rel="first"`];
  if (page.offset > 0) links.push(`${target(Math.max(0, page.offset - size))}; rel="prev"`);
  const more = page.total !== undefined ? page.offset + size < page.total : page.count >= size;
  if (more) links.push(`${target(page.offset + size)}; rel="next"`);
  if (page.total !== undefined && scheme.style !== 'cursor') {
    links.push(`${target(Math.max(0, Math.ceil(page.total / size) - 1) * size)}; rel="last"`);
  }
  return links.join(', ');
}

/**
 * The request's origin from its Host header (`http://` unless `x-forwarded-proto` says otherwise), for absolute Link targets.
 *
 * @example
 * requestOrigin({ headers: { host: 'api.example', 'x-forwarded-proto': 'https' } }); // 'https://api.example'
 */
export function requestOrigin(req: Pick<TranslatableRequest, 'headers'>): string | undefined {
  const host = headerValue(req.headers, 'host');
  if (!host) return undefined;
  const proto = headerValue(req.headers, 'x-forwarded-proto')?.split(',')[0].trim();
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}
