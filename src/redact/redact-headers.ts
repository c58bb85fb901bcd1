import { editRawQuery, lowerName, type Headers } from '../records';
import type { Fingerprint } from './fingerprint';
import { redactPathParams } from './redact-path';
import { CREDENTIAL_SCHEME, headerCredentialForm } from './credential-form';
import { NOT_SECRET_HEADERS } from './secret-lists';

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
  const n = lowerName(name);
  if (n === 'set-cookie') {
    const semi = value.indexOf(';');
    return cookiePair(semi < 0 ? value : value.slice(0, semi), fp) + (semi < 0 ? '' : value.slice(semi));
  }
  if (n === 'cookie')
    return value
      .split(';')
      .map((pair) => cookiePair(pair, fp))
      .join(';');
  if (n === 'authorization' || n === 'proxy-authorization' || CREDENTIAL_SCHEME.test(value)) {
    const m = /^([A-Za-z][\w-]*) +(\S.*)$/.exec(value);
    if (m) return `${m[1]} ${fp(m[2])}`;
  }
  return fp(value);
}

/**
 * Whether a header's value is a credential by its form, whatever the header's name: a JSON
 * Web Token (JWS or JWE, RFC 7515 and 7516: base64url `eyJ...` parts joined by dots) anywhere
 * in it, or a `Bearer` or `Basic` credential (RFC 6750, RFC 7617), as gateways and proxies
 * pass tokens on under names of their own (`X-Goog-IAP-JWT-Assertion`, `X-Jwt`,
 * `X-Upstream: Bearer ...`). The headers of `NOT_SECRET_HEADERS` are never (a
 * `WWW-Authenticate: Basic realm=...` challenge is no credential). `lowerNameOf` is the
 * header's lower-case name. Values shorter than 12 characters or starting otherwise cost a
 * length and a character test; others a substring search.
 *
 * @example
 * credentialValue('x-jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'); // true
 * credentialValue('x-upstream', 'Bearer abc123'); // true
 * credentialValue('www-authenticate', 'Basic realm="api"'); // false
 */
export function credentialValue(lowerNameOf: string, value: string | string[]): boolean {
  if (Array.isArray(value) ? !value.some(headerCredentialForm) : !headerCredentialForm(value)) return false;
  return !NOT_SECRET.has(lowerNameOf);
}

const NOT_SECRET = new Set<string>(NOT_SECRET_HEADERS);

function cookiePair(pair: string, fp: Fingerprint): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return fp(pair);
  return `${pair.slice(0, eq + 1)}${fp(pair.slice(eq + 1))}`;
}

/**
 * Headers whose value is a URL: its path, query and fragment parameters are redacted by
 * name, as a request's are, and its userinfo (`http://user:password@host/`). The
 * `X-Original-URL` family is the request target as a proxy in front (IIS, nginx, Traefik)
 * passed it on. `Link` holds URI references in angle brackets (RFC 8288 section 3), each
 * redacted so (a paginating API's `<...?access_token=...>; rel="next"`).
 */
const URL_HEADERS = new Set([
  'link',
  'location',
  'content-location',
  'referer',
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'x-forwarded-uri',
]);

/** True for a header whose value is a URL (`Location`, `Content-Location`, `Referer`, `X-Original-URL`...) or holds URLs (`Link`); any case. */
export function isUrlHeader(name: string): boolean {
  // Most names are ruled out by their length or first letter, without lower-casing them (the proxy's path).
  if (name.length !== 4 && (name.length < 7 || name.length > 16)) return false;
  const c = name.charCodeAt(0) | 0x20;
  return (c === 0x6c || c === 0x63 || c === 0x72 || c === 0x78) && URL_HEADERS.has(lowerName(name));
}

/**
 * A URL header's value redacted (see `isUrlHeader`): `Link`'s bracketed URI references each
 * as `redactUrl` redacts a URL, any other such header's value as one URL.
 *
 * @example
 * redactUrlHeader('Link', '</p?access_token=abc>; rel="next"', (n) => n === 'access_token', fp); // '</p?access_token=%5BREDACTED%3A...%5D>; rel="next"'
 */
export function redactUrlHeader(
  name: string,
  value: string,
  isSecret: (name: string) => boolean,
  fp: Fingerprint,
  editQuery?: QueryEditor,
): string {
  if (name.length !== 4) return redactUrl(value, isSecret, fp, editQuery);
  if (!value.includes('<')) return value;
  const out = value.replace(LINK_TARGET, (whole, uri: string) => {
    const next = redactUrl(uri, isSecret, fp, editQuery);
    return next === uri ? whole : `<${next}>`;
  });
  return out === value ? value : out;
}

/**
 * A raw query (`?a=1&b=2`) redacted as a request's is (see `queryRedactor`'s
 * `redactRawQuery`: secret names, JSON or forms inside values, credential values, `;`
 * pairs); the same string when nothing in it is secret.
 */
export type QueryEditor = (raw: string) => string;

/** A `Link` value's target, `<URI-Reference>` (RFC 8288 section 3). */
const LINK_TARGET = /<([^<>]*)>/g;

/**
 * A URL (a `Location`, `Referer`...) with the values of its secret path, query and fragment
 * parameters fingerprinted (`/login;jsessionid=x`, `/cb?code=1&access_token=x`,
 * `/cb#access_token=x`) and its userinfo's password (`https://user:x@host/`; the whole
 * userinfo when it holds no `:`, as a token sent as the user name: `https://ghp_x@host/`),
 * every other byte kept; the same string when none is secret. With `editQuery` the query and
 * fragment are redacted by it (the redactor passes its request query's: JSON or forms in
 * values, credential values), else by `isSecret` names only.
 *
 * @example
 * redactUrl('/cb?access_token=abc&state=1', (n) => n === 'access_token', fp); // '/cb?access_token=%5BREDACTED%3A...%5D&state=1'
 * redactUrl('https://ada:pw@host/p', () => false, fp); // 'https://ada:%5BREDACTED%3A...%5D@host/p'
 */
export function redactUrl(value: string, isSecret: (name: string) => boolean, fp: Fingerprint, editQuery?: QueryEditor): string {
  const withUser = redactUserinfo(value, fp);
  return redactUrlParams(withUser, isSecret, fp, editQuery);
}

/** Where a URL's authority starts: after `scheme://` or a leading `//` (RFC 3986 section 3). */
const AUTHORITY = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\//;

/**
 * The URL with its userinfo's password fingerprinted (percent-encoded, as a query value's
 * is), or the whole userinfo when it holds no `:`; the same string when it has none. RFC
 * 3986 section 3.2.1 deprecates `user:password` in a URL, and a client or a backend still
 * sending one sends a credential.
 */
function redactUserinfo(value: string, fp: Fingerprint): string {
  const start = AUTHORITY.exec(value)?.[0].length;
  if (start === undefined) return value;
  let end = value.length;
  for (const c of '/?#') {
    const i = value.indexOf(c, start);
    if (i >= 0 && i < end) end = i;
  }
  const at = value.lastIndexOf('@', end - 1);
  if (at < start) return value;
  const userinfo = value.slice(start, at);
  const colon = userinfo.indexOf(':');
  const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
  if (secret === '') return value;
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // Not valid percent-encoding: fingerprinted as it is.
  }
  const printed = fp(decoded);
  if (printed === decoded) return value; // already a fingerprint
  return value.slice(0, colon < 0 ? start : start + colon + 1) + encodeURIComponent(printed) + value.slice(at);
}

/** `redactUrl` past the userinfo: path, query and fragment parameters (by `editQuery` when given, else by name). */
function redactUrlParams(value: string, isSecret: (name: string) => boolean, fp: Fingerprint, editQuery?: QueryEditor): string {
  const q = value.indexOf('?');
  const hash = value.indexOf('#');
  if (q < 0 && hash < 0) return redactPathParams(value, isSecret, fp);
  const edit = (part: string) =>
    (editQuery ? editQuery(`?${part}`) : editRawQuery(`?${part}`, (n, v) => (isSecret(n) ? fp(v) : undefined))).slice(1);
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
 * A copy of a header map with every secret header's value fingerprinted (`isSecret`, see
 * `redactHeaderValue`; each value of a repeated header on its own), then every URL-valued
 * header's secret parameters (`isSecretParam`, and `editQuery` for its query and fragment:
 * see `redactUrl`), in one pass over the names; the map itself when no header is secret and
 * no URL changed.
 *
 * @example
 * redactHeaderMap({ cookie: 'a=1', referer: '/p?token=x' }, names.header, names.query, fp);
 * // { cookie: 'a=[REDACTED:...]', referer: '/p?token=%5BREDACTED%3A...%5D' }
 */
export function redactHeaderMap(
  headers: Headers,
  isSecret: (name: string) => boolean,
  isSecretParam: (name: string) => boolean,
  fp: Fingerprint,
  editQuery?: QueryEditor,
): Headers {
  let out: Headers | null = null;
  // No closure inside the loop (one capturing `name` would cost a context per header), and no
  // `Object.keys` array: `for...in` over the own names, in the same order.
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name];
    if (value === undefined) continue;
    const secret = isSecret(name) || credentialValue(lowerName(name), value);
    const url = isUrlHeader(name);
    if (!secret && !url) continue;
    const named = secret ? secretValues(name, value, fp) : value;
    const next = url ? urlValues(name, named, isSecretParam, fp, editQuery) : named;
    if (!secret && next === value) continue;
    out ??= { ...headers };
    out[name] = next;
  }
  return out ?? headers;
}

/** A secret header's value(s) fingerprinted (see `redactHeaderValue`), each value of a repeated header on its own. */
function secretValues(name: string, value: string | string[], fp: Fingerprint): string | string[] {
  return Array.isArray(value) ? value.map((v) => redactHeaderValue(name, String(v), fp)) : redactHeaderValue(name, String(value), fp);
}

/** A URL header's value(s) redacted (see `redactUrlHeader`); the same value (or array) when nothing changed. */
function urlValues(
  name: string,
  value: string | string[],
  isSecretParam: (name: string) => boolean,
  fp: Fingerprint,
  editQuery?: QueryEditor,
): string | string[] {
  if (!Array.isArray(value)) return redactUrlHeader(name, value, isSecretParam, fp, editQuery);
  const next = value.map((v) => redactUrlHeader(name, v, isSecretParam, fp, editQuery));
  return next.every((v, i) => v === value[i]) ? value : next;
}
