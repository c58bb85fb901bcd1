/** Error bodies mapped between contracts: `{}` against `{ "error": "Not Found" }`, and so on. */

import { STATUS_CODES } from 'node:http';
import type { TranslatableResponse } from '../translate/types';
import type { ResponseStep } from './compose';

/**
 * A replacement error body: a fixed value, or a function of the candidate's body and status.
 *
 * @example
 * const e: ErrorBody = (body, status) => ({ error: STATUS_CODES[status] });
 */
export type ErrorBody = unknown | ((body: unknown, status: number) => unknown);

/**
 * Map error bodies (status 400 and above) by status: an exact code (`404`), a class
 * (`'4xx'`, `'5xx'`), or `default`; the most specific key wins. Statuses with no entry
 * pass untouched. A JSON content type is set when the new body is an object and the
 * response had none or a non-JSON one (a `text/plain` "Not Found" mapped to `{}`); `undefined` as the body sends no body.
 *
 * @example
 * mapErrors({ 404: {} }) // candidate { "error": "Not Found" } → legacy {}
 * mapErrors({ '4xx': statusText('error') }) // candidate {} → legacy { "error": "Not Found" }
 */
export function mapErrors(table: Record<number | '4xx' | '5xx' | 'default', ErrorBody> | Partial<Record<string, ErrorBody>>): ResponseStep {
  return (res) => {
    if (res.status < 400) return res;
    const t = table as Record<string, ErrorBody>;
    const key = [String(res.status), `${String(res.status)[0]}xx`, 'default'].find((k) => Object.hasOwn(t, k));
    if (key === undefined) return res;
    const spec = t[key];
    const body = typeof spec === 'function' ? (spec as (b: unknown, s: number) => unknown)(res.body, res.status) : structuredClone(spec);
    return withJsonType({ ...res, body });
  };
}

/**
 * An error body holding the status's reason phrase (RFC 9110 section 15) under `field`.
 *
 * @example
 * statusText('error')(undefined, 404); // { error: 'Not Found' }
 */
export function statusText(field = 'error'): (body: unknown, status: number) => Record<string, string> {
  return (_body, status) => ({ [field]: STATUS_CODES[status] ?? `Error ${status}` });
}

/**
 * An error body that keeps one field of the candidate's body under another name
 * (`{ message: "x" }` → `{ error: "x" }`), falling back to the reason phrase.
 *
 * @example
 * renameErrorField('message', 'error')({ message: 'no such order' }, 404); // { error: 'no such order' }
 */
export function renameErrorField(from: string, to: string): (body: unknown, status: number) => Record<string, unknown> {
  return (body, status) => {
    const v = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[from] : undefined;
    return { [to]: v ?? STATUS_CODES[status] ?? `Error ${status}` };
  };
}

function withJsonType(res: TranslatableResponse): TranslatableResponse {
  if (typeof res.body !== 'object' || res.body === null || Buffer.isBuffer(res.body)) return res;
  const name = Object.keys(res.headers).find((k) => k.toLowerCase() === 'content-type');
  const type = name === undefined ? '' : String(res.headers[name]);
  if (/[/+]json\b/i.test(type)) return res;
  const headers = { ...res.headers };
  if (name !== undefined) delete headers[name];
  return { ...res, headers: { ...headers, 'content-type': 'application/json' } };
}
