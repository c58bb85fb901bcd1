import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExchangeRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { NOT_SECRET_HEADERS, SECRET_HEADER_WORDS } from '../../src/redact/secret-lists';

const r = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const FP = /^\[REDACTED:[0-9a-f]{16}\]$/;

const exchange = (headers: Record<string, string>, lines: string[]): ExchangeRecord => ({
  id: 'x1',
  route: 'p',
  customer: 'anonymous',
  at: 0,
  requestId: 'r1',
  request: { method: 'GET', path: '/p/1', query: { session_id: 'S-QUERY' }, headers, headerLines: lines, body: null },
  params: {},
  legacy: { status: 200, headers, body: null, durationMs: 1 },
});

/**
 * Header names that carry a credential under a name that is no secret field name: before,
 * only the last words counted (`X-Auth-Token` was secret, `X-Auth` and `X-Session-Id` were
 * stored in clear). Now a secret word anywhere in the name makes it secret, but for a few
 * well-known headers that carry none (a WebSocket nonce, CORS's `true`, challenges).
 */
describe('secret header words', () => {
  it.each(['X-Auth', 'x-session-id', 'X-Auth-User', 'X-Hub-Signature-256', 'X-SessionId', 'X-Credential-Id', 'Authentication-Info'])(
    '%s is stored as a fingerprint, in the header map and the raw lines',
    (name) => {
      const out = r.exchange(exchange({ [name.toLowerCase()]: 'SECRET-VALUE' }, [name, 'SECRET-VALUE']));
      expect(out.request.headers[name.toLowerCase()]).toMatch(FP);
      expect(out.legacy.headers[name.toLowerCase()]).toMatch(FP);
      expect(out.request.headerLines![1]).toMatch(FP);
      expect(JSON.stringify(out)).not.toContain('SECRET-VALUE');
    },
  );

  it('a session id under its plain name is secret as a query parameter too', () => {
    const out = r.exchange(exchange({}, []));
    expect(out.request.query.session_id).toMatch(FP);
  });

  it.each([...NOT_SECRET_HEADERS, 'X-Secretary', 'X-Keyboard', 'X-Request-Id', 'Content-Type', 'X-Oauth-Scopes'])(
    '%s stays in clear',
    (name) => expect(r.names.header(name)).toBe(false),
  );

  it('a well-known non-secret header named in redact.headers is redacted', () => {
    expect(
      createRedactor({ headers: ['Idempotency-Key'], bodyPaths: [] }, 'test-redaction-key-0123456789').names.header('idempotency-key'),
    ).toBe(true);
  });

  it("README's lists are the code's", () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const listed = (tag: string) =>
      [...(new RegExp(`<!-- ${tag} -->([^]*?)<!-- /${tag} -->`).exec(readme)?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(listed('secret-header-words')).toEqual(SECRET_HEADER_WORDS);
    expect(listed('not-secret-headers')).toEqual(NOT_SECRET_HEADERS);
  });
});
