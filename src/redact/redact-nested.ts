import type { PathSegment } from '../compare';
import { credentialOrUndefined } from './credential-form';
import { redactFormText } from './redact-form';
import { MAX_JSON_DEPTH, redactJsonText } from './redact-json';
import { MAX_NESTED_ENCODINGS, spend, type BodyRedaction } from './redact-limits';

// Encodings inside a body's own: JSON or a form inside a string value or a form value, read
// nested under the field holding them, up to MAX_NESTED_ENCODINGS levels.

/** Whether a value at `path` is a secret field. */
export type IsSecret = (path: readonly PathSegment[]) => boolean;

/** Text that starts like JSON (after a BOM and white space). */
export const LOOKS_JSON = /^\uFEFF?[ \t\r\n]*[[{]/;

/**
 * Whether a secret name may occur in text, also once its percent-escapes are undone (a
 * form inside a JSON string spells `%22token%22`). Names are ASCII: a lenient byte-wise
 * unescape is enough for the probe.
 */
export const mayName = (text: string, o: BodyRedaction) =>
  o.names.mayOccurIn(text) ||
  (text.includes('%') && o.names.mayOccurIn(text.replace(PERCENT, (m) => String.fromCharCode(parseInt(m.slice(1), 16)))));
const PERCENT = /%[0-9a-fA-F]{2}/g;

/**
 * A form field's value that is JSON, redacted as a JSON body nested under the field's
 * name (`data={"password":..}` is `data.password`); any other value as it is. Null when
 * it looks like JSON, may hold a secret and cannot be read, or is nested deeper than
 * `MAX_NESTED_ENCODINGS` (the form is then withheld).
 */
export function redactJsonValue(
  value: string,
  path: readonly PathSegment[],
  o: BodyRedaction,
  field: IsSecret,
  level: number,
): string | null {
  if (!LOOKS_JSON.test(value) || !o.names.mayOccurIn(value)) return value;
  if (level >= MAX_NESTED_ENCODINGS) return null;
  spend(o);
  const inner = nested(field, path);
  return redactJsonText(value, inner, o.fp, MAX_JSON_DEPTH, innerStrings(o, inner, level + 1));
}

/**
 * What `redactJsonText` does with a string value that is not itself secret: fingerprinted
 * when it is a credential by its form (`{"jwt":"eyJ…"}`, `{"upstream":"Bearer …"}`: see
 * `credentialForm`), else see `redactString`.
 */
export const innerStrings =
  (o: BodyRedaction, field: IsSecret, level: number) =>
  (raw: string, path: readonly PathSegment[]): string | undefined => {
    // The usual string is ruled out by its length, its first letter and one substring search.
    const escaped = raw.includes('\\');
    let text: string | undefined; // the decoded string, decoded once
    const decoded = () => (text ??= escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1));
    if (raw.length >= 14 && (escaped || (raw.charCodeAt(1) | 0x20) === 0x62 || raw.includes('eyJ'))) {
      const credential = credentialOrUndefined(decoded(), o.fp);
      if (credential !== undefined) return JSON.stringify(credential);
    }
    if (raw.length < 5 || !mayName(raw, o)) return undefined; // the usual string: no secret name in it
    const out = redactString(decoded(), path, o, field, level);
    return out === undefined ? undefined : JSON.stringify(out);
  };

/**
 * A string value (not itself at a secret path) whose text may name a secret and looks like
 * JSON or a form (`{`, `[`, or a `=`): read as one, nested under the value's `path`, its
 * secret fields fingerprinted. Such text that cannot be read, or that lies `level` >=
 * `MAX_NESTED_ENCODINGS` encodings deep, is fingerprinted whole. Undefined keeps the value.
 *
 * @example
 * redactString('{"password":"x"}', ['payload'], o, o.names.field, 1); // '{"password":"[REDACTED:...]"}'
 */
export function redactString(
  value: string,
  path: readonly PathSegment[],
  o: BodyRedaction,
  field: IsSecret,
  level: number,
): string | undefined {
  const json = LOOKS_JSON.test(value);
  if ((!json && !value.includes('=')) || !mayName(value, o)) return undefined;
  let out: string | null = null;
  if (level < MAX_NESTED_ENCODINGS) {
    spend(o);
    const inner = nested(field, [...path]);
    out = json
      ? redactJsonText(value, inner, o.fp, MAX_JSON_DEPTH, innerStrings(o, inner, level + 1))
      : redactFormText(value, inner, o.fp, (v, p) => redactJsonValue(v, p, o, inner, level + 1));
  }
  return out === value ? undefined : (out ?? o.fp(value));
}

/** A secret test for a value nested under `prefix` (a form field or multipart part by its name). */
export const nested =
  (field: IsSecret, prefix: readonly PathSegment[]): IsSecret =>
  (p) =>
    field([...prefix, ...p]);
