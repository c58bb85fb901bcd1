import { FINGERPRINT_ANYWHERE, type Fingerprint } from './fingerprint';

/**
 * Where a path may hold a parameter: `;` (RFC 3986 3.3 lets any segment carry
 * `;name=value` parameters: Java's `;jsessionid=`), or `%3B` (a translator or a client
 * that encoded the delimiter; read as one too, since some servers decode before they split).
 */
const MAY_HOLD_PARAMS = /;|%3b/i;
/** A segment's parameters: each `;`/`%3B`, its name, `=`/`%3D`, its value up to the next delimiter. */
const PARAM = /(;|%3[bB])([^;=%/]*(?:%(?!3[bBdD])[^;=%/]*)*)(=|%3[dD])((?:[^;%/]|%(?!3[bB]))*)/g;
/** The same in decoded text (a route parameter, a customer id): `;` and `=` only, a value up to the next `;`. */
const DECODED_PARAM = /(;)([^;=]*)(=)([^;]*)/g;

/**
 * A path (raw, as sent, or one decoded path parameter or customer id: `decoded`) with the
 * value of every `;name=value` parameter whose name (percent-decoded) `isSecret` says is
 * secret replaced by its fingerprint (percent-encoded in a raw path); every other byte is
 * kept. The same string when none is secret (the usual path, decided without a regex run
 * unless it holds `;` or `%3B`). A value is fingerprinted by its decoded text, so
 * `;password=a%20b` in the path and `;password=a b` in a decoded route parameter give
 * the same fingerprint, as a query value does.
 *
 * @example
 * redactPathParams('/p/5;jsessionid=abc;v=2', (n) => n === 'jsessionid', fp); // '/p/5;jsessionid=%5BREDACTED%3A...%5D;v=2'
 * redactPathParams('5;password=a b', (n) => n === 'password', fp, true); // '5;password=[REDACTED:...]'
 */
export function redactPathParams(path: string, isSecret: (name: string) => boolean, fp: Fingerprint, decoded = false): string {
  if (!MAY_HOLD_PARAMS.test(path)) return path;
  const out = path.replace(decoded ? DECODED_PARAM : PARAM, (whole, semi: string, name: string, eq: string, value: string) => {
    if (!isSecret(decoded ? name : safeDecode(name))) return whole;
    const print = fp(decoded ? value : safeDecode(value));
    return `${semi}${name}${eq}${decoded ? print : encodeURIComponent(print)}`;
  });
  return out === path ? path : out;
}

/**
 * A stored path without the parameters whose value holds a fingerprint (the real value
 * is gone): what a replay of a stored exchange sends, as it leaves out a redacted query
 * parameter. The same string when none does.
 *
 * @example
 * withoutRedactedPathParams('/p/5;jsessionid=%5BREDACTED%3A0123456789abcdef%5D;v=2'); // '/p/5;v=2'
 */
export function withoutRedactedPathParams(path: string, decoded = false): string {
  if (!MAY_HOLD_PARAMS.test(path)) return path;
  return path.replace(decoded ? DECODED_PARAM : PARAM, (whole, _semi: string, _name: string, _eq: string, value: string) => {
    const v = decoded ? value : safeDecode(value);
    FINGERPRINT_ANYWHERE.lastIndex = 0;
    return FINGERPRINT_ANYWHERE.test(v) ? '' : whole;
  });
}

/**
 * A request target as a log line may show it, where no redaction key is at hand: the path
 * without the query, and without the value of any `;name=value` path parameter (each
 * value becomes `…`), whatever its name.
 *
 * @example
 * pathForLog('/p/5;jsessionid=abc?token=x'); // '/p/5;jsessionid=…'
 */
export function pathForLog(target: string): string {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return MAY_HOLD_PARAMS.test(path) ? path.replace(PARAM, (_w, semi: string, name: string, eq: string) => `${semi}${name}${eq}…`) : path;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
