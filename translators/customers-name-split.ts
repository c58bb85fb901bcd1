import { defineTranslator } from '../src/translate/define-translator';
import { eachRecord, joinFields, mapBody, mapKeys, onSuccess, pipe, splitField } from '../src/kit';

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
  return splitField('name', ['firstName', 'lastName'])({ name }) as NameParts;
}

/**
 * Merge the candidate's name fields back: the non-empty parts joined by one space;
 * both null or missing → null; only blanks → `""`.
 *
 * @example
 * mergeName({ firstName: 'Ada', lastName: null }); // 'Ada'
 */
export function mergeName(parts: { firstName?: unknown; lastName?: unknown }): string | null {
  return (joinFields(['firstName', 'lastName'], 'name')({ firstName: null, ...parts }) as { name: string | null }).name;
}

/**
 * Legacy has one `name` and `email_address`; the candidate has `firstName`/`lastName`
 * and `email`.
 *
 * - request (a JSON object body, e.g. POST/PUT/PATCH): `name` → `firstName` +
 *   `lastName` (see `splitName`), `email_address` → `email`; absent fields stay absent.
 * - response (2xx, one customer or an array): `firstName`/`lastName` → `name` (see
 *   `mergeName`), `email` → `email_address`; keys keep their position.
 *
 * @example
 * // POST { "name": "Ada Lovelace", "email_address": "ada@x" } → { "firstName": "Ada", "lastName": "Lovelace", "email": "ada@x" }
 */
export default defineTranslator({
  name: 'customers-name-split',
  request: mapBody((body) =>
    Array.isArray(body)
      ? body
      : eachRecord(pipe(mapKeys({ rename: { email_address: 'email' } }), splitField('name', ['firstName', 'lastName'])))(body),
  ),
  response: onSuccess(
    mapBody(eachRecord(pipe(mapKeys({ rename: { email: 'email_address' } }), joinFields(['firstName', 'lastName'], 'name')))),
  ),
});
