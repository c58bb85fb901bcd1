import { defineTranslator } from '../src/translate/define-translator';
import type { Translator } from '../src/translate/types';
import { mapBody, stringly } from '../src/kit';

/**
 * Options of `stringlyTyped`.
 *
 * @example
 * const opts: StringlyOptions = { name: 'stringly-null-word', nullAs: 'null' };
 */
export interface StringlyOptions {
  /** Translator name; give each differently configured instance its own. Default `legacy-stringly-types`. */
  name?: string;
  /** What `null` became in the legacy API: `''` (default), `'null'`, or `null` to keep nulls. */
  nullAs?: string | null;
}

/**
 * Render a JSON value the way the old API did, at every depth (the kit's `stringly`):
 * numbers become their decimal string (`42` → `"42"`, `-0` → `"0"`, `1e21` → `"1e+21"`,
 * a lossless number digit for digit), `null` becomes `nullAs`; booleans, strings and
 * keys are unchanged; a Buffer (a non-JSON body) is returned as is.
 *
 * @example
 * stringlyValue({ id: 42, tags: [1, null], ok: true }, ''); // { id: '42', tags: ['1', ''], ok: true }
 */
export function stringlyValue(value: unknown, nullAs: string | null): unknown {
  return stringly({ nullAs })(value);
}

/**
 * An "intermediary" response translator: the candidate answers with real types,
 * the legacy API rendered numbers and nulls as strings, so the candidate's body is
 * rendered the legacy way before the comparison (see `stringlyValue`). Applies to
 * every status (legacy error bodies were stringly too). Requests pass untouched.
 *
 * @example
 * export default stringlyTyped({ name: 'stringly-null-word', nullAs: 'null' });
 */
export function stringlyTyped(opts: StringlyOptions = {}): Translator {
  const nullAs = opts.nullAs === undefined ? '' : opts.nullAs;
  return defineTranslator({
    name: opts.name ?? 'legacy-stringly-types',
    response: mapBody(stringly({ nullAs })),
  });
}

/**
 * The default instance: numbers → decimal strings, null → `""`, booleans kept.
 *
 * @example
 * // route: { name: 'legacy-report', match: 'GET /report', translator: 'legacy-stringly-types' }
 */
export default stringlyTyped();
