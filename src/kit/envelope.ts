/**
 * Pagination envelopes (`{ items, total }`) to bare arrays with a total-count header and an
 * RFC 8288 `Link` header derived from the client's request, and back.
 */

import type { Headers } from '../records';
import type { TranslatableResponse, TranslationContext } from '../translate/types';
import { isRecord, type ResponseStep } from './compose';
import { getPath, setPath } from './object-path';
import { readPosition, type PagingScheme } from './paging';
import { linkHeader } from './link-header';

/**
 * Where the envelope keeps its parts, and how the bare form carries the total.
 *
 * @example
 * const e: EnvelopeShape = { items: 'data', total: 'meta.total', totalHeader: 'x-total-count' };
 */
export interface EnvelopeShape {
  /** Dot path of the list (default `items`). */
  items?: string;
  /** Dot path of the total count (default `total`). */
  total?: string;
  /** Header of the bare form that carries the total (default `x-total-count`). */
  totalHeader?: string;
}

/**
 * `{ items, total }` → `items`, with `x-total-count: <total>` and, when `link` names the
 * paging scheme of the client's request, a `Link` header (`first`, `prev`, `next`, `last`)
 * built from that request. Missing or null items → `[]`; an empty body → `[]` with total 0;
 * missing or null total → no header. A body that is not an envelope passes untouched (so
 * the comparison shows the difference); items that are not an array throw.
 *
 * @example
 * unwrapEnvelope({ link: { paging: paging.pageLimit } })
 * // { items: [...10], total: 42 } for GET /orders?page=2&limit=10 →
 * // [...10], x-total-count: 42, link: </orders?page=1&limit=10>; rel="first", … </orders?page=5&limit=10>; rel="last"
 */
export function unwrapEnvelope(
  shape: EnvelopeShape & {
    link?: { paging: PagingScheme; defaultSize?: number; origin?: string | ((req: TranslationContext['request']) => string | undefined) };
  } = {},
): ResponseStep {
  const { items = 'items', total = 'total', totalHeader = 'x-total-count' } = shape;
  return (res, ctx) => {
    const body = res.body;
    let list: unknown[];
    let count: string | undefined;
    if (body === undefined || body === null || body === '') [list, count] = [[], '0'];
    else {
      const foundItems = getPath(body, items);
      const foundTotal = getPath(body, total);
      if (!isRecord(body) || (!foundItems.present && !foundTotal.present)) return res;
      const v = foundItems.value ?? [];
      if (!Array.isArray(v)) throw new Error(`expected "${items}" to be an array, got ${typeof v}`);
      list = v;
      count = countText(foundTotal.value);
    }
    const headers: Headers = { ...res.headers };
    delete headers[totalHeader];
    delete headers.link;
    if (count !== undefined) headers[totalHeader] = count;
    if (shape.link) {
      const pos = readPosition(ctx.request.query, shape.link.paging, shape.link.defaultSize) ?? { offset: 0, size: shape.link.defaultSize };
      const origin = typeof shape.link.origin === 'function' ? shape.link.origin(ctx.request) : shape.link.origin;
      const link = linkHeader(
        ctx.request,
        shape.link.paging,
        { ...pos, total: count === undefined ? undefined : Number(count), count: list.length },
        origin,
      );
      if (link) headers.link = link;
    }
    return { ...res, headers, body: list };
  };
}

/**
 * The inverse: a bare array with a total header → `{ items, total }` (the header is
 * removed; a missing header gives the array's length as total when `totalFromLength`,
 * else no total). `extra` adds fields computed from the response.
 *
 * @example
 * wrapEnvelope()({ status: 200, headers: { 'x-total-count': '42' }, body: [{ id: 1 }] }, ctx).body; // { items: [{ id: 1 }], total: 42 }
 */
export function wrapEnvelope(
  shape: EnvelopeShape & { totalFromLength?: boolean; extra?(res: TranslatableResponse): Record<string, unknown> } = {},
): ResponseStep {
  const { items = 'items', total = 'total', totalHeader = 'x-total-count' } = shape;
  return (res) => {
    if (!Array.isArray(res.body)) return res;
    const headers: Headers = { ...res.headers };
    const raw = headers[totalHeader];
    delete headers[totalHeader];
    const text = Array.isArray(raw) ? raw[0] : raw;
    const n = text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : shape.totalFromLength ? res.body.length : undefined;
    let body = setPath({}, items, res.body);
    if (n !== undefined) body = setPath(body, total, n);
    if (shape.extra) body = { ...(body as object), ...shape.extra(res) };
    return { ...res, headers, body };
  };
}

function countText(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return String(v);
  return typeof v === 'object' && 'value' in v ? String((v as { value: unknown }).value) : undefined;
}
