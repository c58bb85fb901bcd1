// Values that are credentials by their form, whatever name carries them: a JSON Web Token
// anywhere in them, or a `Bearer`/`Basic` credential. Headers, query values, form, JSON and
// multipart values and a translator's output strings are all checked the same way.

/** `Bearer <token>` or `Basic <credentials>`, any case: the scheme is kept readable, the rest fingerprinted. */
export const CREDENTIAL_SCHEME = /^(?:bearer|basic)[ \t]+\S/i;
/** The shortest credential: `Bearer ` and five characters; a JWT is longer. */
const MIN_LENGTH = 12;

/**
 * Whether a header's value is a credential by its form: a JSON Web Token (JWS or JWE, RFC
 * 7515 and 7516) anywhere in it, or a `Bearer` or `Basic` credential (RFC 6750, RFC 7617)
 * at its start. Values shorter than 12 characters, or starting otherwise and holding no
 * `eyJ`, cost a length and a character test and a substring search; only the rest a regex.
 *
 * @example
 * headerCredentialForm('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'); // true
 * headerCredentialForm('Bearer abc123'); // true
 * headerCredentialForm('basically fine'); // false
 */
export function headerCredentialForm(value: string): boolean {
  if (value.length < MIN_LENGTH) return false;
  if ((value.charCodeAt(0) | 0x20) === 0x62 && CREDENTIAL_SCHEME.test(value)) return true;
  return jwtIn(value);
}

/**
 * Whether a value other than a header's (a query value, a form, JSON or multipart value, a
 * translator's string; decoded) is a credential by its form: a JWT anywhere in it, as in a
 * header; or the whole value a `Bearer` token (one token68, RFC 6750, of 8 characters or
 * more) or a `Basic` credential (base64 of `user:password`, RFC 7617). Stricter than a
 * header's test, as body strings hold prose: `"Basic plan"`, `"Bearer bonds"` and
 * `"Basic subscription"` are no credentials. Same cost: most values are ruled out by their
 * length, first letter and one substring search.
 *
 * @example
 * credentialForm('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'); // true
 * credentialForm('Bearer abc123def456'); // true
 * credentialForm('Basic dXNlcjpwYXNz'); // true (user:pass)
 * credentialForm('Basic subscription'); // false
 */
export function credentialForm(value: string): boolean {
  if (value.length < MIN_LENGTH) return false;
  if ((value.charCodeAt(0) | 0x20) === 0x62) {
    const m = SCHEME_TOKEN.exec(value);
    if (m) return m[1].length === 6 ? m[2].length >= 8 : Buffer.from(m[2], 'base64').includes(0x3a);
  }
  return jwtIn(value);
}

/** The whole value `Bearer <token68>` or `Basic <token68>` (RFC 9110 section 11.2), white space around the token allowed. */
const SCHEME_TOKEN = /^(bearer|basic)[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * A credential value fingerprinted, its scheme kept readable (`Bearer [REDACTED:…]`); the
 * whole value for a JWT (or anything else).
 *
 * @example
 * redactCredential('Bearer abc123', fp); // 'Bearer [REDACTED:...]'
 */
export function redactCredential(value: string, fp: (value: string) => string): string {
  if ((value.charCodeAt(0) | 0x20) === 0x62 && CREDENTIAL_SCHEME.test(value)) {
    const m = SCHEME_AND_REST.exec(value);
    if (m) return `${m[1]}${fp(m[2])}`;
  }
  return fp(value);
}

const SCHEME_AND_REST = /^([A-Za-z]+[ \t]+)(\S[\s\S]*)$/;

/**
 * The value fingerprinted when it is a credential by its form (see `credentialForm`),
 * else undefined: what the readers of query values, form fields, JSON strings, multipart
 * parts and a translator's strings do first with a value not at a secret name.
 */
export const credentialOrUndefined = (value: string, fp: (value: string) => string): string | undefined =>
  credentialForm(value) ? redactCredential(value, fp) : undefined;

/**
 * A raw (percent-encoded) form or query value that may decode to a credential by its form:
 * 12 characters or more, and starting with a `b` or holding `eyJ` or a `%`.
 */
export const mayBeCredential = (raw: string): boolean =>
  raw.length >= MIN_LENGTH && ((raw.charCodeAt(0) | 0x20) === 0x62 || raw.includes('eyJ') || raw.includes('%'));

/**
 * Whether a credential by its form may be anywhere in a text (a whole body, decoded): a JWT,
 * or `Bearer`/`Basic` then a space (`+`, `%20`, a tab) right after a quote or `=` (a JSON
 * string's or a form value's start) or at the text's start, also once percent-escapes are
 * undone. Linear, and cheap on the usual body: the JWT search jumps from `J` to `J`, the
 * scheme search from `b`/`B` to `b`/`B` (about 0.6 us per 2 KB of JSON on a slow machine).
 * The cheap guard before a body holding no secret name is parsed for credential values.
 *
 * @example
 * credentialIn('{"upstream":"Bearer abc123"}'); // true
 * credentialIn('{"plan":"basic"}'); // false
 */
export function credentialIn(text: string): boolean {
  if (text.length < MIN_LENGTH) return false;
  if (jwtIn(text) || schemeIn(text)) return true;
  if (!text.includes('%')) return false;
  const plain = text.replace(PERCENT, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
  return jwtIn(plain) || schemeIn(plain);
}

const PERCENT = /%[0-9a-fA-F]{2}/g;
/** The schemes' words, found by their first letter; each hit is then checked where it stands (see `schemeIn`). */
const SCHEME_WORD = /[Bb](?:earer|asic)|BEARER|BASIC/g;

/** `Bearer`/`Basic` (any case as written above) at a value's start (the text's, or after `"` or `=`) and followed by a space. */
function schemeIn(text: string): boolean {
  SCHEME_WORD.lastIndex = 0;
  for (let m = SCHEME_WORD.exec(text); m; m = SCHEME_WORD.exec(text)) {
    const before = m.index === 0 ? 0x22 : text.charCodeAt(m.index - 1);
    if (before !== 0x22 && before !== 0x3d) continue;
    const after = SCHEME_WORD.lastIndex;
    const c = text.charCodeAt(after);
    if (c === 0x20 || c === 0x09 || c === 0x2b || (c === 0x25 && (text.startsWith('20', after + 1) || text.startsWith('09', after + 1)))) {
      SCHEME_WORD.lastIndex = 0;
      return true;
    }
  }
  return false;
}

/**
 * Whether a JWS or JWE is anywhere in the text: a base64url JSON header (`{"` is `eyJ`, and 4
 * more characters at least), a dot, another base64url part of 4 characters at least and a
 * dot (RFC 7515, 7516). Linear: `eyJ` is found by jumping from `J` to `J` (a rare letter in
 * most text, where `e` is the commonest), and a run of base64url characters that failed is
 * not read again from a later `eyJ` inside it (which would fail the same way).
 *
 * @example
 * jwtIn('x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'); // true
 */
export function jwtIn(text: string): boolean {
  const n = text.length;
  let at = 0;
  for (let j = text.indexOf('J', 2); j >= 0; j = text.indexOf('J', Math.max(j + 1, at))) {
    if (text.charCodeAt(j - 1) !== 0x79 || text.charCodeAt(j - 2) !== 0x65) continue;
    let end = j + 1;
    while (end < n && isBase64Url(text.charCodeAt(end))) end++;
    at = end;
    if (end - j < 5 || text.charCodeAt(end) !== 0x2e) continue;
    let second = end + 1;
    while (second < n && isBase64Url(text.charCodeAt(second))) second++;
    if (second - end - 1 >= 4 && text.charCodeAt(second) === 0x2e) return true;
    at = end + 1;
  }
  return false;
}

/** `A-Z`, `a-z`, `0-9`, `-`, `_`. */
const isBase64Url = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
