/**
 * The secret names Tandem redacts whatever the config says: headers, the words that make a
 * header name secret, the well-known headers that carry none, and field and query names.
 * README's Security section lists them; `secretNames` (secret-names.ts) matches names against them.
 */

/** Headers always redacted before anything is stored (the report token included). */
export const DEFAULT_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-tandem-token', 'x-api-key'];

/**
 * Words that make a header name secret wherever they stand in it (the name split at `-`,
 * `_` and `.`, any case, whole words): `X-Auth`, `X-Session-Id`, `X-Auth-User`,
 * `X-Hub-Signature-256`, `X-Api-Key`, `X-Credential-Id`. A header carrying a credential is
 * named for it, whatever its vendor prefix or suffix (`-Id`, `-Value`, `-256`); a harmless
 * header so named (`X-Token-Count`) is shown as a fingerprint and still compared by it, which
 * costs a reader far less than a credential stored in clear. Glued spellings in common use
 * (`X-AuthToken`, `X-SessionId`, `X-ApiKey`) are words of their own. README's Security
 * section lists these words; test/redact/secret-header-words.test.ts keeps the two equal.
 */
export const SECRET_HEADER_WORDS = [
  'auth',
  'authorization',
  'authentication',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'token',
  'authtoken',
  'accesstoken',
  'secret',
  'password',
  'passwd',
  'key',
  'apikey',
  'cookie',
  'cookie2',
  'signature',
  // Anti-forgery tokens and one-time codes, whose headers often carry no other secret word
  // (`X-Csrf`, `X-Xsrf`, Django's `X-CSRFToken`, `X-Otp`, `X-Totp`, `X-Pin`): opaque
  // values a replay could use, too short for a value-form test. Whole words only, as every
  // word here: `X-Pinned`, `X-Pins`, `X-Spin`, `X-Otp-Sent-At`... `X-Pinned` stays in clear.
  'csrf',
  'xsrf',
  'csrftoken',
  'xsrftoken',
  'otp',
  'totp',
  'pin',
  'passcode',
];

/**
 * Well-known headers with a secret word in their name that carry no secret, kept in clear
 * (unless `redact.headers` names them): `Sec-WebSocket-Key` (a random nonce, RFC 6455
 * section 4.1), `Idempotency-Key` (a client-chosen request id, IETF httpapi draft),
 * `Access-Control-Allow-Credentials` (`true`, the Fetch standard's CORS), `Public-Key-Pins`
 * and `Public-Key-Pins-Report-Only` (hashes of public keys, RFC 7469). `WWW-Authenticate`
 * and `Proxy-Authenticate` (challenges: a scheme, a realm, a nonce; RFC 9110 section 11.6)
 * have no secret word (`authenticate` is none) and are listed to say so; their answers,
 * `Authorization` and `Authentication-Info` (whose `rspauth` is derived from the password,
 * RFC 7615), are secret.
 */
export const NOT_SECRET_HEADERS = [
  'sec-websocket-key',
  'idempotency-key',
  'access-control-allow-credentials',
  'public-key-pins',
  'public-key-pins-report-only',
  'www-authenticate',
  'proxy-authenticate',
];

/**
 * Field names always redacted (any case): the common names of credentials (passwords,
 * OAuth and API tokens, API keys, client secrets, private keys, session ids, the secret
 * headers' names: `cookie`, `authorization`...), in both the `_` and `-`
 * spellings, as query parameters and in forms, multipart fields and JSON bodies at any
 * depth, and as `;name=value` path parameters. Only a whole name counts: `token` is a
 * secret, `next_page_token` is not (noise around a query or form name or a JSON key is not
 * part of it: see `bareName` and `bracketSegments`).
 */
export const DEFAULT_REDACTED_QUERY = [
  'password',
  'passwd',
  'secret',
  'client_secret',
  'client-secret',
  'token',
  'access_token',
  'access-token',
  'refresh_token',
  'refresh-token',
  'id_token',
  'id-token',
  'auth_token',
  'auth-token',
  'session_token',
  'session-token',
  'api_key',
  'api-key',
  'apikey',
  'x-api-key',
  'x_api_key',
  'private_key',
  'private-key',
  // Session ids carried in URLs (`/p;jsessionid=...` by Java servlets, `?PHPSESSID=...` by PHP): a session is a credential.
  'jsessionid',
  'phpsessid',
  // A session id under its plain name (`?session_id=...`, `{"sessionId": ...}`), as the `X-Session-Id` header is.
  'session_id',
  'session-id',
  'sessionid',
  // The secret headers' names (`DEFAULT_REDACTED_HEADERS`) as fields: a header's credential copied into a
  // body or a query (`{"cookie":"sid=..."}`, `?authorization=Basic ...`) is the same credential.
  'authorization',
  'proxy-authorization',
  'proxy_authorization',
  'cookie',
  'set-cookie',
  'set_cookie',
  'x-tandem-token',
  'x_tandem_token',
];
