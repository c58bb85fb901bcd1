import type { PathSegment } from '../compare';
import { bracketSegments, underSecret } from './secret-names';

/**
 * Replace the values of secret fields of an urlencoded form (`application/x-www-form-urlencoded`,
 * or a query string) by their fingerprints, percent-encoded; other fields keep their bytes.
 * Field names follow the bracket convention (`user[password]`, `password[]`). A value is
 * fingerprinted by its decoded text, so `a+b` and `a%20b` give the same fingerprint.
 * `other`, when given, sees the decoded value of every other field that may be JSON (starts
 * with `{` or `[`) and its path, and returns its replacement, or null when the value cannot
 * be read and may hold a secret: the whole form is then null (unreadable).
 *
 * @example
 * redactFormText('user=bob&PASSWORD=x', (p) => p[0] === 'password', fp); // 'user=bob&PASSWORD=%5BREDACTED%3A...%5D'
 */
export function redactFormText(
  text: string,
  isSecret: (path: readonly PathSegment[]) => boolean,
  fp: (value: string) => string,
  other?: (value: string, path: readonly PathSegment[]) => string | null,
): string | null {
  let changed = false;
  let unreadable = false;
  const pairs = text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeFormPart(eq < 0 ? pair : pair.slice(0, eq));
    const path = bracketSegments(name);
    let replaced: string | null;
    let value: string;
    if (underSecret(isSecret, path)) {
      value = eq < 0 ? '' : decodeFormPart(pair.slice(eq + 1));
      replaced = fp(value);
    } else if (other && eq >= 0 && MAY_BE_JSON.test(pair.slice(eq + 1))) {
      value = decodeFormPart(pair.slice(eq + 1));
      replaced = other(value, path);
      if (replaced === null) unreadable = true;
    } else return pair;
    if (replaced === null || replaced === value) return pair;
    changed = true;
    return `${pair.slice(0, eq < 0 ? pair.length : eq)}=${encodeURIComponent(replaced)}`;
  });
  if (unreadable) return null;
  return changed ? pairs.join('&') : text;
}

/**
 * A raw form value that may decode to JSON: `{`, `[` or their escapes, after any run of
 * what JSON parsers skip before them, raw or escaped (space as `+` or `%20`, tab, CR, LF)
 * and a byte-order mark (`%EF%BB%BF`, U+FEFF, or its UTF-8 bytes read as Latin-1). This
 * is the test "decode, trim, then look for a bracket" without decoding or any length
 * bound; it stays linear, as every alternative differs from the others by its second
 * character at most.
 */
const MAY_BE_JSON = /^(?:[+ \t\r\n\uFEFF]|\u00EF\u00BB\u00BF|%(?:20|09|0a|0d|ef%bb%bf))*(?:[[{]|%7b|%5b)/i;

/** `+` is a space in forms; a malformed escape is kept as written. */
export function decodeFormPart(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
