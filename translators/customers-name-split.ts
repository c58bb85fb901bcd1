import { defineTranslator } from '../src/translate/define-translator';
import { isRecord, isSuccess, mapRecords, renameKeys } from './support';

/**
 * Candidate's name fields.
 *
 * @example
 * const parts: NameParts = { firstName: 'Cher', lastName: null };
 */
export interface NameParts {
  firstName: string | null;
  lastName: string | null;
}

/**
 * Split a legacy `name` at the first run of whitespace (trimmed): `"Ada King Lovelace"`
 * → `Ada` / `King Lovelace`; one word → last name null; null → both null; blank →
 * first name `""`. A non-string throws.
 *
 * @example
 * splitName('Cher'); // { firstName: 'Cher', lastName: null }
 */
export function splitName(name: unknown): NameParts {
  if (name === null || name === undefined) return { firstName: null, lastName: null };
  if (typeof name !== 'string') throw new Error(`name must be a string or null, got ${typeof name}`);
  const [first, ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.length ? rest.join(' ') : null };
}

/**
 * Merge the candidate's name fields back: the non-empty parts joined by one space;
 * both null or missing → null; only blanks → `""`.
 *
 * @example
 * mergeName({ firstName: 'Ada', lastName: null }); // 'Ada'
 */
export function mergeName(parts: { firstName?: unknown; lastName?: unknown }): string | null {
  const values = [parts.firstName, parts.lastName].filter((v) => v !== null && v !== undefined).map(String);
  if (!values.length) return null;
  return values.map((v) => v.trim()).filter(Boolean).join(' ');
}

/**
 * Legacy has one `name` and `email_address`; the candidate has `firstName`/`lastName`
 * and `email`.
 *
 * - request (any JSON object body, e.g. POST/PUT/PATCH): `name` → `firstName` +
 *   `lastName` (see `splitName`), `email_address` → `email`; absent fields stay absent.
 * - response (2xx, one customer or an array): `firstName`/`lastName` → `name` (see
 *   `mergeName`), `email` → `email_address`; keys keep their position.
 *
 * @example
 * // POST { "name": "Ada Lovelace", "email_address": "ada@x" } → { "firstName": "Ada", "lastName": "Lovelace", "email": "ada@x" }
 */
export default defineTranslator({
  name: 'customers-name-split',
  request(req) {
    if (!isRecord(req.body)) return req;
    return { ...req, body: toCandidate(req.body) };
  },
  response(res) {
    if (!isSuccess(res.status)) return res;
    return { ...res, body: mapRecords(res.body, toLegacy) };
  },
});

function toCandidate(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(renameKeys(c, { email_address: 'email' }))) {
    if (k === 'name') Object.assign(out, splitName(v));
    else out[k] = v;
  }
  return out;
}

function toLegacy(c: Record<string, unknown>): Record<string, unknown> {
  if (!('firstName' in c) && !('lastName' in c)) return renameKeys(c, { email: 'email_address' });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(renameKeys(c, { email: 'email_address' }))) {
    if (k === 'firstName' || k === 'lastName') {
      if (!('name' in out)) out.name = mergeName(c);
    } else if (k !== 'name') out[k] = v;
  }
  return out;
}
