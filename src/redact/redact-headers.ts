import { editRawQuery, type Headers, type Query } from '../records';
import type { Fingerprint } from './fingerprint';
import { redactPathParams } from './redact-path';

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

/**
 * Headers whose value is a URL: its path, query and fragment parameters are redacted by
 * name, as a request's are. The `X-Original-URL` family is the request target as a proxy
 * in front (IIS, nginx, Traefik) passed it on.
 */
const URL_HEADERS = new Set([
  'location',
  'content-location',
  'referer',
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'x-forwarded-uri',
]);

/** True for a header whose value is a URL (`Location`, `Content-Location`, `Referer`, `X-Original-URL`...; any case). */
export function isUrlHeader(name: string): boolean {
  // Most names are ruled out by their length or first letter, without lower-casing them (the proxy's path).
  if (name.length < 7 || name.length > 16) return false;
  const c = name.charCodeAt(0) | 0x20;
  return (c === 0x6c || c === 0x63 || c === 0x72 || c === 0x78) && URL_HEADERS.has(name.toLowerCase());
}

/**
 * A URL (a `Location`, `Referer`...) with the values of its secret path, query and fragment
 * parameters fingerprinted (`/login;jsessionid=x`, `/cb?code=1&access_token=x`,
 * `/cb#access_token=x`), every other byte kept; the same string when none is secret.
 *
 * @example
 * redactUrl('/cb?access_token=abc&state=1', (n) => n === 'access_token', fp); // '/cb?access_token=%5BREDACTED%3A...%5D&state=1'
 */
export function redactUrl(value: string, isSecret: (name: string) => boolean, fp: Fingerprint): string {
  const q = value.indexOf('?');
  const hash = value.indexOf('#');
  if (q < 0 && hash < 0) return redactPathParams(value, isSecret, fp);
  const edit = (part: string) => editRawQuery(`?${part}`, (n, v) => (isSecret(n) ? fp(v) : undefined)).slice(1);
  const queryEnd = hash < 0 ? value.length : hash;
  const query = q >= 0 && q < queryEnd ? edit(value.slice(q + 1, queryEnd)) : undefined;
  const fragment = hash >= 0 && value.includes('=', hash) ? edit(value.slice(hash + 1)) : undefined;
  const rawHead = value.slice(0, q >= 0 && q < queryEnd ? q : queryEnd);
  const head = redactPathParams(rawHead, isSecret, fp);
  const out =
    head +
    (query === undefined ? value.slice(rawHead.length, queryEnd) : `?${query}`) +
    (hash < 0 ? '' : `#${fragment ?? value.slice(hash + 1)}`);
  return out === value ? value : out;
}

/**
 * A copy of a header map with the URL-valued headers' secret parameters fingerprinted (see
 * `redactUrl`); the map itself when none changed.
 */
export function redactUrlHeaders(headers: Headers, isSecret: (name: string) => boolean, fp: Fingerprint): Headers {
  let out: Headers | null = null;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || !isUrlHeader(name)) continue;
    const next = Array.isArray(value) ? value.map((v) => redactUrl(v, isSecret, fp)) : redactUrl(value, isSecret, fp);
    if (Array.isArray(next) ? next.every((v, i) => v === (value as string[])[i]) : next === value) continue;
    out ??= { ...headers };
    out[name] = next;
  }
  return out ?? headers;
}
