import type { Headers, Query } from '../records';
import type { Fingerprint } from './fingerprint';

/**
 * A header value with its secret parts fingerprinted, keeping what is not secret visible
 * so a comparison can tell what changed: a cookie's name and a Set-Cookie's attributes
 * (`Path`, `Max-Age`, `HttpOnly`...) stay, and an `Authorization` keeps its scheme.
 *
 * @example
 * redactHeaderValue('set-cookie', 'sid=abc; Max-Age=60', fp); // 'sid=[REDACTED:...]; Max-Age=60'
 * redactHeaderValue('authorization', 'Bearer xyz', fp); // 'Bearer [REDACTED:...]'
 */
export function redactHeaderValue(name: string, value: string, fp: Fingerprint): string {
  const n = name.toLowerCase();
  if (n === 'set-cookie') {
    const semi = value.indexOf(';');
    return cookiePair(semi < 0 ? value : value.slice(0, semi), fp) + (semi < 0 ? '' : value.slice(semi));
  }
  if (n === 'cookie')
    return value
      .split(';')
      .map((pair) => cookiePair(pair, fp))
      .join(';');
  if (n === 'authorization' || n === 'proxy-authorization') {
    const m = /^([A-Za-z][\w-]*) +(\S.*)$/.exec(value);
    if (m) return `${m[1]} ${fp(m[2])}`;
  }
  return fp(value);
}

function cookiePair(pair: string, fp: Fingerprint): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return fp(pair);
  return `${pair.slice(0, eq + 1)}${fp(pair.slice(eq + 1))}`;
}

/**
 * A copy of a header or query map with the entries whose name `isSecret` fingerprinted
 * (each value of a repeated entry on its own); the map itself when none is secret.
 *
 * @example
 * redactNamed({ cookie: 'a=1' }, (n) => n === 'cookie', (n, v) => redactHeaderValue(n, v, fp));
 */
export function redactNamed<T extends Headers | Query>(
  values: T,
  isSecret: (name: string) => boolean,
  redact: (name: string, value: string) => string,
): T {
  let out: Record<string, unknown> | null = null;
  // Object.keys, not entries: no pair array per header on the proxy's path.
  for (const name of Object.keys(values)) {
    const value = values[name];
    if (value === undefined || !isSecret(name)) continue;
    out ??= { ...values };
    out[name] = Array.isArray(value) ? value.map((v) => redact(name, String(v))) : redact(name, String(value));
  }
  return (out ?? values) as T;
}
