import type { PathSegment } from '../compare';
import { bracketSegments } from './secret-names';

/**
 * Replace the values of secret fields of an urlencoded form (`application/x-www-form-urlencoded`,
 * or a query string) by their fingerprints, percent-encoded; other fields keep their bytes.
 * Field names follow the bracket convention (`user[password]`, `password[]`). A value is
 * fingerprinted by its decoded text, so `a+b` and `a%20b` give the same fingerprint.
 *
 * @example
 * redactFormText('user=bob&PASSWORD=x', (p) => p[0] === 'password', fp); // 'user=bob&PASSWORD=%5BREDACTED%3A...%5D'
 */
export function redactFormText(text: string, isSecret: (path: readonly PathSegment[]) => boolean, fp: (value: string) => string): string {
  let changed = false;
  const pairs = text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeFormPart(eq < 0 ? pair : pair.slice(0, eq));
    if (!isSecret(bracketSegments(name))) return pair;
    const value = eq < 0 ? '' : decodeFormPart(pair.slice(eq + 1));
    const replaced = fp(value);
    if (replaced === value) return pair;
    changed = true;
    return `${pair.slice(0, eq < 0 ? pair.length : eq)}=${encodeURIComponent(replaced)}`;
  });
  return changed ? pairs.join('&') : text;
}

/** `+` is a space in forms; a malformed escape is kept as written. */
export function decodeFormPart(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
