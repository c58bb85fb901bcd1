import type { Headers, Query } from '../records';
import type { TranslatableRequest, TranslatableResponse } from './types';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
type Scalar = string | number | boolean;

/**
 * Check what a request translator returned and normalise it: method upper-cased,
 * header names lower-cased, numbers and booleans in headers and query turned into
 * strings, `undefined`/`null` entries dropped, query defaulting to `{}` (null
 * prototype), `rawQuery` given its `?`.
 * Throws a TypeError naming the first problem.
 *
 * @example
 * checkRequestOutput({ method: 'get', url: '/v2', path: '/v2', rawQuery: '', query: { limit: 20 }, headers: {}, body: undefined, params: {} }).query; // { limit: '20' }
 */
export function checkRequestOutput(out: unknown): TranslatableRequest {
  const o = asObject(out, 'a request object');
  if (typeof o.method !== 'string' || !TOKEN.test(o.method)) throw new TypeError(`method must be an HTTP method, got ${show(o.method)}`);
  if (typeof o.path !== 'string' || !o.path.startsWith('/'))
    throw new TypeError(`path must be a string starting with "/", got ${show(o.path)}`);
  if (/[?#\s]/.test(o.path))
    throw new TypeError(`path must not contain "?", "#" or whitespace (put parameters in query), got ${show(o.path)}`);
  const rawQuery = o.rawQuery ?? '';
  if (typeof rawQuery !== 'string' || /[#\s]/.test(rawQuery))
    throw new TypeError(`rawQuery must be a query string without "#" or whitespace, got ${show(rawQuery)}`);
  return {
    method: o.method.toUpperCase(),
    url: typeof o.url === 'string' ? o.url : '',
    path: o.path,
    rawQuery: rawQuery && !rawQuery.startsWith('?') ? `?${rawQuery}` : rawQuery,
    query: normaliseQuery(o.query ?? {}),
    headers: normaliseHeaders(o.headers ?? {}),
    body: o.body,
    params: (o.params ?? {}) as Record<string, string>,
  };
}

/**
 * Check what a response translator returned: status an integer 100–599, headers
 * normalised as for requests.
 *
 * @example
 * checkResponseOutput({ status: '200', headers: {}, body: null }); // throws: status must be an integer 100-599, got "200"
 */
export function checkResponseOutput(out: unknown): TranslatableResponse {
  const o = asObject(out, 'a response object');
  if (typeof o.status !== 'number' || !Number.isInteger(o.status) || o.status < 100 || o.status > 599) {
    throw new TypeError(`status must be an integer 100-599, got ${show(o.status)}`);
  }
  return { status: o.status, headers: normaliseHeaders(o.headers ?? {}), body: o.body };
}

function normaliseHeaders(value: unknown): Headers {
  const out: Headers = {};
  for (const [name, v] of Object.entries(asObject(value, 'a headers object', 'headers'))) {
    if (!TOKEN.test(name)) throw new TypeError(`header name ${show(name)} is not a valid HTTP token`);
    const values = scalars(v, `header "${name}"`);
    if (values === undefined) continue;
    for (const s of Array.isArray(values) ? values : [values]) {
      if (/[\r\n\0]/.test(s)) throw new TypeError(`header "${name}" must not contain CR, LF or NUL`);
    }
    out[name.toLowerCase()] = values;
  }
  return out;
}

function normaliseQuery(value: unknown): Query {
  const out = Object.create(null) as Query;
  for (const [name, v] of Object.entries(asObject(value, 'a query object', 'query'))) {
    const values = scalars(v, `query parameter "${name}"`);
    if (values !== undefined) out[name] = values;
  }
  return out;
}

function scalars(v: unknown, what: string): string | string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (isScalar(v)) return String(v);
  if (Array.isArray(v)) {
    if (!v.every(isScalar)) throw new TypeError(`${what} must be a string or an array of strings`);
    return v.map(String);
  }
  throw new TypeError(`${what} must be a string or an array of strings, got ${show(v)}`);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function asObject(v: unknown, what: string, field?: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) {
    throw new TypeError(`${field ? `${field} must be ${what}` : `expected ${what}`}, got ${show(v)}`);
  }
  return v as Record<string, unknown>;
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  return typeof v === 'object' ? (v === null ? 'null' : 'an object') : `${typeof v} ${String(v)}`;
}
