import type { PathSegment } from '../compare';
import { credentialForm, mayBeCredential, redactCredential } from './credential-form';
import { bracketSegments, underSecret } from './secret-names';

/**
 * Replace the values of secret fields of an urlencoded form (`application/x-www-form-urlencoded`,
 * or a query string) by their fingerprints, percent-encoded; other fields keep their bytes.
 * Field names follow the bracket convention (`user[password]`, `password[]`). A value that is a
 * credential by its form (a JWT anywhere in it, `Bearer …`, `Basic …`: see `credentialForm`)
 * is fingerprinted whatever its field's name, its scheme kept readable. A value is
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
    } else if (eq >= 0 && mayBeCredential(pair.slice(eq + 1)) && credentialForm((value = decodeFormPart(pair.slice(eq + 1))))) {
      replaced = redactCredential(value, fp);
    } else if (other && eq >= 0 && MAY_BE_JSON.test(pair.slice(eq + 1))) {
      value = decodeFormPart(pair.slice(eq + 1));
      replaced = other(value, path);
      if (replaced === null) unreadable = true;
    } else {
      // `user=bob;token=x`: a secret pair after a raw `;`, for servers that split there too.
      const out = pair.includes(';') ? redactSemicolonPairs(pair, (n) => underSecret(isSecret, bracketSegments(n)), fp) : pair;
      if (out !== pair) changed = true;
      return out;
    }
    if (replaced === null || replaced === value) return pair;
    changed = true;
    return `${pair.slice(0, eq < 0 ? pair.length : eq)}=${encodeURIComponent(replaced)}`;
  });
  if (unreadable) return null;
  return changed ? pairs.join('&') : text;
}

/**
 * One raw `name=value` pair of a form or query with the secret pairs that follow a raw `;`
 * in it fingerprinted (`a=1;password=x`: servers that split pairs at `;` as well as `&`,
 * as HTML 4 advised and Python's `parse_qs` did until 3.9.2, read `password`), every other
 * byte kept; the same string when none is secret. What precedes the first `;` is the
 * caller's.
 *
 * @example
 * redactSemicolonPairs('a=1;password=x;b=2', (n) => n === 'password', fp); // 'a=1;password=%5BREDACTED%3A...%5D;b=2'
 */
export function redactSemicolonPairs(pair: string, isSecretName: (name: string) => boolean, fp: (value: string) => string): string {
  const parts = pair.split(';');
  let changed = false;
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 0 || !isSecretName(decodeFormPart(parts[i].slice(0, eq)))) continue;
    parts[i] = `${parts[i].slice(0, eq + 1)}${encodeURIComponent(fp(decodeFormPart(parts[i].slice(eq + 1))))}`;
    changed = true;
  }
  return changed ? parts.join(';') : pair;
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
