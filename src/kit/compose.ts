/** The shapes kit helpers return, and how they combine. */

import { isLosslessNumber } from 'lossless-json';
import { parseQuery, rewriteRawQuery, serialiseQuery, type Query } from '../records';
import type { TranslatableRequest, TranslatableResponse, TranslationContext } from '../translate/types';

/**
 * A request translation step.
 *
 * @example
 * const step: RequestStep = (req) => ({ ...req, path: req.path.toLowerCase() });
 */
export type RequestStep = (req: TranslatableRequest) => TranslatableRequest;

/**
 * A response translation step; `ctx` holds the original (legacy-shaped) request and the route.
 *
 * @example
 * const step: ResponseStep = (res, ctx) => (ctx.request.method === 'HEAD' ? res : res);
 */
export type ResponseStep = (res: TranslatableResponse, ctx: TranslationContext) => TranslatableResponse;

/**
 * A query mapping step over the multi-value view (repeated parameters as arrays, in order).
 *
 * @example
 * const step: QueryStep = (q) => ({ ...q, lang: 'en' });
 */
export type QueryStep = (query: Query) => Query;

/**
 * A body mapping step: takes a parsed body (JSON value, form object, text) and returns the new one.
 * Bodies may hold lossless-json numbers; steps pass them through untouched unless told to convert them.
 *
 * @example
 * const step: BodyStep = (body) => (Array.isArray(body) ? body.slice(0, 10) : body);
 */
export type BodyStep = (body: unknown) => unknown;

/**
 * Compose steps left to right; the extra arguments (a response step's `ctx`) go to every step.
 * Works for request, response, query and body steps alike.
 *
 * @example
 * const request = pipe<TranslatableRequest>(mapPath({ '/v1/users/:id': '/v2/users/:id' }), mapRequestQuery(renameParams({ q: 'search' })));
 */
export function pipe<T, R extends unknown[] = []>(...steps: ((value: T, ...rest: R) => T)[]): (value: T, ...rest: R) => T {
  return (value, ...rest) => steps.reduce((v, step) => step(v, ...rest), value);
}

/**
 * Apply query steps to a request's query, keeping the client's bytes for everything
 * the steps left alone. Steps get a copy of the parsed view (null prototype); when
 * they change nothing, the request is returned as it was (its raw query relayed byte
 * for byte); otherwise `query` is the new view and `rawQuery` the client's raw query
 * with only the changed parameters rewritten (see `rewriteRawQuery`: untouched
 * parameters keep their place and encoding, `%20`, bare names and non-UTF-8 escapes included).
 *
 * @example
 * const out = mapRequestQuery(dropParams('debug'))({ ...req, rawQuery: '?q=a%20b&debug=1&flag', query: { q: 'a b', debug: '1', flag: '' } });
 * out.rawQuery; // '?q=a%20b&flag'
 */
export function mapRequestQuery(...steps: QueryStep[]): RequestStep {
  const run = pipe<Query>(...steps);
  return (req) => {
    const before = req.rawQuery !== undefined ? parseQuery(req.rawQuery) : req.query;
    const after = run(copyQuery(req.query));
    if (sameView(after, req.query)) return req;
    return { ...req, query: after, rawQuery: rewriteRawQuery(req.rawQuery ?? serialiseQuery(req.query), before, after) };
  };
}

/** A copy of a parsed query view, null prototype (so `__proto__` or `constructor` are plain parameters). */
export function copyQuery(q: Query): Query {
  const out = Object.create(null) as Query;
  for (const k of Object.keys(q)) out[k] = Array.isArray(q[k]) ? [...q[k]] : q[k];
  return out;
}

/** Same names with the same values (order of names aside). */
function sameView(a: Query, b: Query): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * Apply body steps to a request's or a response's body (the headers and status are kept).
 *
 * @example
 * mapBody(mapKeys({ rename: { title: 'name' } }))(res).body;
 */
export function mapBody(...steps: BodyStep[]): <T extends { body: unknown }>(msg: T) => T {
  const run = pipe<unknown>(...steps);
  return (msg) => ({ ...msg, body: run(msg.body) });
}

/**
 * Run response steps on 2xx responses only; error responses pass untouched (map them with `mapErrors`).
 *
 * @example
 * response: pipe(onSuccess(mapBody(mapKeys({ rename: { title: 'name' } }))), mapErrors({ 404: {} }))
 */
export function onSuccess(...steps: ResponseStep[]): ResponseStep {
  const run = pipe<TranslatableResponse, [TranslationContext]>(...steps);
  return (res, ctx) => (res.status >= 200 && res.status < 300 ? run(res, ctx) : res);
}

/**
 * Apply a body step to a body that is one record, or to each record of an array;
 * anything else (and non-record items) is returned unchanged.
 *
 * @example
 * eachRecord(mapKeys({ rename: { title: 'name' } }))([{ title: 'a' }, 2]); // [{ name: 'a' }, 2]
 */
export function eachRecord(step: BodyStep): BodyStep {
  return (body) => (Array.isArray(body) ? body.map((x) => (isRecord(x) ? step(x) : x)) : isRecord(body) ? step(body) : body);
}

/**
 * True for a plain JSON object (not an array, null, Buffer or lossless-json number).
 *
 * @example
 * isRecord({ a: 1 }); // true
 * isRecord(new LosslessNumber('1')); // false
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  // No prototype identity check: bodies may come from another realm (a vm context, a worker).
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v) || isLosslessNumber(v)) return false;
  return Object.prototype.toString.call(v) === '[object Object]';
}
