/**
 * Pagination schemes and conversion between them: `page`/`limit`, `offset`/`limit`,
 * `page`/`per_page`, cursor. A position is `{ offset, size }` (0-based offset, page size).
 */

import type { Query } from '../records';
import type { QueryStep } from './compose';
import { dropParams, values } from './query';

/**
 * How an API pages: by page number, by offset, or by an opaque cursor.
 *
 * @example
 * const githubStyle: PagingScheme = { style: 'page', page: 'page', size: 'per_page' };
 */
export type PagingScheme =
  | { style: 'page'; page?: string; size?: string; /** Number of the first page (default 1). */ firstPage?: number }
  | { style: 'offset'; offset?: string; size?: string }
  | {
      style: 'cursor';
      cursor?: string;
      size?: string;
      /** Cursor for an offset (default: the offset in decimal). */
      encode?(offset: number): string;
      /** Offset of a cursor (default: the decimal offset); throw on a cursor you cannot read. */
      decode?(cursor: string): number;
    };

/**
 * The common schemes: `page`/`limit`, `offset`/`limit`, `page`/`per_page`, `cursor`/`limit`.
 *
 * @example
 * convertPaging(paging.pageLimit, paging.offsetLimit)({ page: '3', limit: '10' }); // { offset: '20', limit: '10' }
 */
export const paging = {
  pageLimit: { style: 'page', page: 'page', size: 'limit' },
  offsetLimit: { style: 'offset', offset: 'offset', size: 'limit' },
  pagePerPage: { style: 'page', page: 'page', size: 'per_page' },
  cursorLimit: { style: 'cursor', cursor: 'cursor', size: 'limit' },
} as const satisfies Record<string, PagingScheme>;

/**
 * Where a request is in a list.
 *
 * @example
 * const p: Position = { offset: 20, size: 10 }; // page 3 of 10 per page
 */
export interface Position {
  offset: number;
  size?: number;
}

/** The parameter names of a scheme, defaults filled in. */
export function schemeParams(s: PagingScheme): { position: string; size: string } {
  if (s.style === 'page') return { position: s.page ?? 'page', size: s.size ?? 'limit' };
  if (s.style === 'offset') return { position: s.offset ?? 'offset', size: s.size ?? 'limit' };
  return { position: s.cursor ?? 'cursor', size: s.size ?? 'limit' };
}

/**
 * Read a request's position under a scheme; `undefined` when it names no position and
 * no size. Repeated values use the first; an empty value is absent. A value that is not
 * a whole number in range throws an Error naming the parameter.
 *
 * @example
 * readPosition({ page: '3', limit: '10' }, paging.pageLimit); // { offset: 20, size: 10 }
 * readPosition({ page: '2' }, paging.pageLimit, 20); // { offset: 20, size: 20 }
 */
export function readPosition(q: Query, s: PagingScheme, defaultSize?: number): Position | undefined {
  const names = schemeParams(s);
  const raw = first(q, names.position);
  const size = whole(first(q, names.size), names.size, 1) ?? defaultSize;
  if (raw === undefined && size === undefined) return undefined;
  if (s.style === 'cursor') return { offset: raw === undefined ? 0 : (s.decode ?? decimalCursor)(raw), size };
  if (s.style === 'offset') return { offset: whole(raw, names.position, 0) ?? 0, size };
  const firstPage = s.firstPage ?? 1;
  const page = whole(raw, names.position, firstPage) ?? firstPage;
  if (page > firstPage && size === undefined) throw new Error(`${names.size} is needed to turn ${names.position}=${page} into an offset`);
  return { offset: (page - firstPage) * (size ?? 0), size };
}

/**
 * Write a position under a scheme, replacing its parameters (others are kept).
 * An offset that falls inside a page throws (a page scheme cannot say it).
 *
 * @example
 * writePosition({ q: 'x' }, { offset: 20, size: 10 }, paging.pagePerPage); // { q: 'x', page: '3', per_page: '10' }
 */
export function writePosition(q: Query, pos: Position, s: PagingScheme): Query {
  const names = schemeParams(s);
  const out = dropParams(names.position, names.size)(q);
  if (s.style === 'offset') out[names.position] = String(pos.offset);
  else if (s.style === 'cursor') {
    if (pos.offset > 0) out[names.position] = (s.encode ?? String)(pos.offset);
  } else {
    const size = pos.size ?? 0;
    if (size === 0 ? pos.offset !== 0 : pos.offset % size !== 0)
      throw new Error(`offset ${pos.offset} is not at a page boundary of ${names.size}=${size}`);
    out[names.position] = String((s.firstPage ?? 1) + (size ? pos.offset / size : 0));
  }
  if (pos.size !== undefined) out[names.size] = String(pos.size);
  return out;
}

/**
 * Convert a request's pagination from one scheme to another. Without any paging
 * parameter the query is unchanged, unless `defaultSize` is given: then the first page
 * of that size is written explicitly (so the other side's default cannot differ).
 *
 * @example
 * convertPaging(paging.pageLimit, paging.offsetLimit, { defaultSize: 20 })({ page: '2' }); // { offset: '20', limit: '20' }
 * convertPaging(paging.offsetLimit, paging.cursorLimit)({ offset: '40', limit: '20' }); // { cursor: '40', limit: '20' }
 */
export function convertPaging(from: PagingScheme, to: PagingScheme, o: { defaultSize?: number } = {}): QueryStep {
  return (q) => {
    const pos = readPosition(q, from, o.defaultSize);
    if (!pos) return q;
    return writePosition(dropParams(...Object.values(schemeParams(from)))(q), pos, to);
  };
}

function first(q: Query, name: string): string | undefined {
  const v = values(q[name])[0];
  return v === '' ? undefined : v;
}

function whole(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || !Number.isSafeInteger(n)) {
    throw new Error(`${name} must be ${min === 1 ? 'a positive integer' : `an integer of ${min} or more`}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function decimalCursor(c: string): number {
  if (!/^\d+$/.test(c) || !Number.isSafeInteger(Number(c))) throw new Error(`cannot read cursor ${JSON.stringify(c)}`);
  return Number(c);
}
