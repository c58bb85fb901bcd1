// json-server 0.17 (legacy contract) against json-server 1.x (candidate), written by hand, without Tandem's kit:
// the same behaviour as translator.ts, to compare their lengths (README, "A real migration").
// Only the translator types come from Tandem; lossless-json keeps ids beyond 2^53 exact, as the kit does.
import { LosslessNumber } from 'lossless-json';
import type { TranslatableRequest, TranslatableResponse, TranslationContext, Translator } from '../../dist/src/index.js';

type Query = Record<string, string | string[]>;
const MAX_DEPTH = 200;

const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const first = (q: Query, name: string): string | undefined => all(q[name])[0];
const enc = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;

// 0.17: ?_sort=views&_order=desc&_page=2&_limit=10   1.x: ?_sort=-views&_page=2&_per_page=10
function request(req: TranslatableRequest): TranslatableRequest {
  const q = req.query;
  const hasSort = Object.hasOwn(q, '_sort');
  const hasLimit = Object.hasOwn(q, '_limit');
  if (!hasSort && !hasLimit) return req;
  let sort: string | undefined;
  if (hasSort) {
    const fields = all(q._sort)
      .flatMap((v) => v.split(','))
      .filter(Boolean);
    const dirs = all(q._order).flatMap((v) => v.split(','));
    sort = fields.map((f, i) => ((dirs[i] ?? dirs[0] ?? 'asc').toLowerCase() === 'desc' ? `-${f}` : f)).join(',');
  }
  // Rewrite only what changes; every other parameter keeps the client's bytes and place.
  const parts: string[] = [];
  for (const pair of req.rawQuery.slice(1).split('&')) {
    if (!pair) continue;
    const name = [...new URLSearchParams(pair)][0]?.[0];
    if (name === '_order' && hasSort) continue;
    if (name === '_sort') {
      if (sort) parts.push(enc('_sort', sort));
      sort = undefined;
    } else if (name === '_limit') parts.push(`_per_page${pair.slice('_limit'.length)}`);
    else parts.push(pair);
  }
  const rawQuery = parts.length ? `?${parts.join('&')}` : '';
  const query: Query = Object.create(null);
  for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = Object.hasOwn(query, k) ? [...all(query[k]), v] : v;
  return { ...req, rawQuery, query };
}

// 1.x ids are strings ("1"), 0.17's numbers: every `id`, at any depth.
function idsToNumbers(v: unknown, depth = 0): unknown {
  if (depth >= MAX_DEPTH || typeof v !== 'object' || v === null || v instanceof LosslessNumber || Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map((x) => idsToNumbers(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'id' ? toNumber(idsToNumbers(x, depth + 1)) : idsToNumbers(x, depth + 1);
  return out;
}

function toNumber(v: unknown): unknown {
  if (typeof v !== 'string' || v.length > 400 || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return v;
  const n = Number(v);
  // A double only where it holds the exact value ("12" yes, "9007199254740993" no): else a LosslessNumber.
  return Number.isFinite(n) && decimal(String(n)) === decimal(v) ? n : new LosslessNumber(v);
}

/** A decimal's value as digits and the place of the point ("1.50" and "15e-1" alike). */
function decimal(s: string): string {
  const [mantissa, exp = '0'] = s.replace(/^-/, '').toLowerCase().split('e');
  const [int, frac = ''] = mantissa.split('.');
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.replace(/^0+/, '').replace(/0+$/, '');
  return digits ? `${s.startsWith('-') ? '-' : ''}${digits}e${int.length + Number(exp) - lead}` : '0';
}

// 0.17's Link header: first, prev, next, last (with a total), absolute, with the client's other parameters.
function linkHeader(req: TranslatableRequest, page: number, size: number, total: number | undefined, count: number): string {
  const host = first(req.headers as Query, 'host');
  const proto =
    first(req.headers as Query, 'x-forwarded-proto')
      ?.split(',')[0]
      .trim() === 'https'
      ? 'https'
      : 'http';
  const target = (p: number) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (k !== '_page' && k !== '_limit') for (const x of all(v)) search.append(k, x);
    search.append('_page', String(p));
    search.append('_limit', String(size));
    return `<${host ? `${proto}://${host}` : ''}${req.path}?${search}>`;
  };
  const links = [`${target(1)}; rel="first"`];
  if (page > 1) links.push(`${target(page - 1)}; rel="prev"`);
  if (total !== undefined ? page * size < total : count >= size) links.push(`${target(page + 1)}; rel="next"`);
  if (total !== undefined) links.push(`${target(Math.max(1, Math.ceil(total / size)))}; rel="last"`);
  return links.join(', ');
}

function response(res: TranslatableResponse, ctx: TranslationContext): TranslatableResponse {
  // 0.17 answers a missing item with {}, 1.x with text "Not Found".
  if (res.status === 404) {
    const type = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type');
    if (type && /[/+]json\b/i.test(String(type[1]))) return { ...res, body: {} };
    const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
    return { ...res, headers: { ...headers, 'content-type': 'application/json' }, body: {} };
  }
  if (res.status < 200 || res.status >= 300) return res;
  let { headers, body } = res;
  // 1.x pages as { first, prev, next, last, pages, items: <total>, data: [...] }; 0.17 as a bare list with X-Total-Count and Link.
  const envelope =
    typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : null;
  if (res.body === undefined || res.body === null || res.body === '' || (envelope && ('data' in envelope || 'items' in envelope))) {
    const data = envelope?.data ?? [];
    if (!Array.isArray(data)) throw new Error(`expected "data" to be an array, got ${typeof data}`);
    const totalValue = envelope ? envelope.items : 0;
    const total =
      totalValue === undefined || totalValue === null || totalValue === ''
        ? undefined
        : String(totalValue instanceof LosslessNumber ? totalValue.value : totalValue);
    headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-total-count' && k !== 'link'));
    if (total !== undefined) headers['x-total-count'] = total;
    const rawPage = first(ctx.request.query, '_page');
    const rawSize = first(ctx.request.query, '_limit');
    const size = rawSize ? whole(rawSize, '_limit', 1) : undefined;
    const page = rawPage ? whole(rawPage, '_page', 1) : 1;
    if (page > 1 && size === undefined) throw new Error(`_limit is needed to turn _page=${page} into an offset`);
    if (size) headers.link = linkHeader(ctx.request, page, size, total === undefined ? undefined : Number(total), data.length);
    body = data;
  }
  return { ...res, headers, body: idsToNumbers(body) };
}

function whole(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || !Number.isSafeInteger(n))
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

const translator: Translator = { name: 'json-server-v1-by-hand', request, response };
export default translator;
