import type { ExchangeRecord } from '../../src/records';
import { createRedactor, withoutRedactedPathParams } from '../../src/redact';
import { endsInName } from '../../src/redact/secret-names';

const KEY = 'test-redaction-key-0123456789';
const r = createRedactor({ headers: [], bodyPaths: [] }, KEY);
const FP = /\[REDACTED:[0-9a-f]{16}\]/;
const FP_ENC = /%5BREDACTED%3A[0-9a-f]{16}%5D/;

const exchange = (o: Partial<ExchangeRecord>): ExchangeRecord => ({
  id: 'x1',
  route: 'p',
  customer: 'anonymous',
  at: 0,
  requestId: 'r1',
  request: { method: 'GET', path: '/p/1', query: {}, headers: {}, body: null },
  params: {},
  legacy: { status: 200, headers: {}, body: null, durationMs: 1 },
  ...o,
});

describe('path parameters', () => {
  it('fingerprints secret ;name=value parameters in the path, the candidate path (encoded), params, customer and error messages', () => {
    const ex = exchange({
      request: { method: 'GET', path: '/api/v1/products/5;a=1;JSessionId=SECRET-1;b=2', query: {}, headers: {}, body: null },
      // A translator re-encoded the decoded parameter: `;` and `=` as %3B and %3D.
      candidateRequest: {
        method: 'GET',
        path: '/v2/products/5%3Ba%3D1%3Bjsessionid%3DSECRET-1%3Bb%3D2',
        query: {},
        headers: {},
        body: null,
      },
      params: { id: '5;a=1;JSessionId=SECRET-1;b=2' },
      customer: 'acme;token=SECRET-2',
      translationError: { stage: 'request', message: 'cannot map /api/v1/products/5;password=SECRET-3: expected /x' },
    });
    const out = r.exchange(ex);
    expect(JSON.stringify(out)).not.toContain('SECRET');
    expect(out.request.path).toMatch(new RegExp(`^/api/v1/products/5;a=1;JSessionId=${FP_ENC.source};b=2$`));
    expect(out.candidateRequest!.path).toMatch(new RegExp(`^/v2/products/5%3Ba%3D1%3Bjsessionid%3D${FP_ENC.source}%3Bb%3D2$`));
    expect(out.params.id).toMatch(new RegExp(`^5;a=1;JSessionId=${FP.source.replace(/\\\[/g, '\\[')};b=2$`));
    // The same value gives the same fingerprint in the raw path, the encoded path and the decoded parameter.
    const print = out.params.id.match(FP)![0];
    expect(decodeURIComponent(out.request.path)).toContain(print);
    expect(decodeURIComponent(out.candidateRequest!.path)).toContain(print);
    expect(out.customer).toMatch(/^acme;token=\[REDACTED:/);
    expect(ex.request.path).toContain('SECRET-1'); // the record given is not changed
  });

  it('keeps paths without secret parameters as they are, the same objects', () => {
    const ex = exchange({
      request: { method: 'GET', path: '/p/1;v=2;page=3/x%3Bq%3D1', query: {}, headers: {}, body: null },
      params: { id: '1;v=2' },
    });
    expect(r.exchange(ex)).toBe(ex);
  });

  it('percent-encoded names and a value with escapes fingerprint as the decoded text', () => {
    const a = r.request({ method: 'GET', path: '/p;%70assword=a%20b', query: {}, headers: {}, body: null });
    const b = r.exchange(exchange({ params: { id: 'x;password=a b' } }));
    expect(a.path.startsWith('/p;%70assword=%5BREDACTED')).toBe(true);
    expect(decodeURIComponent(a.path).match(FP)![0]).toBe(b.params.id.match(FP)![0]);
  });

  it('redacts path parameters in URL headers', () => {
    const out = r.response({
      status: 302,
      headers: { location: 'https://a.example/login;jsessionid=SECRET-4?next=%2F' },
      body: null,
      durationMs: 1,
    });
    expect(out.headers.location).toMatch(new RegExp(`^https://a.example/login;jsessionid=${FP_ENC.source}\\?next=%2F$`));
  });

  it('a replay leaves redacted path parameters out', () => {
    const out = r.request({ method: 'GET', path: '/p/5;a=1;token=SECRET-5;b=2', query: {}, headers: {}, body: null });
    expect(withoutRedactedPathParams(out.path)).toBe('/p/5;a=1;b=2');
    expect(withoutRedactedPathParams('/p/5;a=1')).toBe('/p/5;a=1');
  });
});

describe('noisy query and form names', () => {
  it.each([
    'password ',
    ' password',
    'password\t[]',
    'amp;password',
    'amp;amp;token',
    'user[ password ]',
    'password\u0000',
    'x;client_secret',
  ])('%j is secret', (name) => expect(r.names.query(name)).toBe(true));
  it.each(['passwords', 'my password', 'password_', 'next_page_token', 'amp;page', 'user[name]'])('%j is not', (name) =>
    expect(r.names.query(name)).toBe(false),
  );
});

describe(';-separated pairs', () => {
  it('fingerprints a secret pair after a raw ; in a query value and a form field, keeping the rest', () => {
    const out = r.request({
      method: 'POST',
      path: '/p',
      query: { a: '1;Password=SECRET-6;b=2' },
      rawQuery: '?a=1;Password=SECRET-6;b=2&c=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: { encoding: 'utf8', data: 'user=bob;token=SECRET-7&x=1', size: 27, truncated: false },
    });
    expect(JSON.stringify(out)).not.toContain('SECRET');
    expect(out.rawQuery).toMatch(new RegExp(`^\\?a=1;Password=${FP_ENC.source};b=2&c=3$`));
    expect(out.query.a).toMatch(/^1;Password=\[REDACTED:[0-9a-f]{16}\];b=2$/);
    expect(out.body!.data).toMatch(new RegExp(`^user=bob;token=${FP_ENC.source}&x=1$`));
  });

  it('leaves ; pairs with no secret name alone', () => {
    const req = { method: 'GET', path: '/p', query: { a: '1;b=2' }, rawQuery: '?a=1;b=2', headers: {}, body: null };
    expect(r.request(req)).toBe(req);
  });
});

describe('header names', () => {
  it.each([
    'Private-Token',
    'X-Amz-Security-Token',
    'X-CSRF-Token',
    'X-Goog-Api-Key',
    'X-Upstream-Client-Secret',
    'X_Auth_Token',
    'X-Auth-Token',
    'Token',
    'X-Vault-Token',
    'X-JSessionId',
    // A secret word anywhere in the name (see secret-header-words.test.ts): fingerprinted, still compared.
    'X-Token-Count',
    'Token-Binding',
  ])('%s is secret', (name) => expect(r.names.header(name)).toBe(true));

  it.each([
    'Content-Type',
    'Accept',
    'Accept-Encoding',
    'User-Agent',
    'X-Request-Id',
    'X-Forwarded-For',
    'Cache-Control',
    'ETag',
    'If-None-Match',
    'Sec-WebSocket-Key',
    'Sec-WebSocket-Accept',
    'Idempotency-Key',
    'X-RateLimit-Remaining',
    'X-Amz-Date',
    'X-Amz-Content-Sha256',
    'Traceparent',
    'X-Secretary',
  ])('%s is not', (name) => expect(r.names.header(name)).toBe(false));

  it('endsInName looks at whole trailing words only', () => {
    const names = new Set(['token', 'api-key']);
    expect(endsInName('x-goog-api-key', names)).toBe(true);
    expect(endsInName('x-mytoken', names)).toBe(false);
    expect(endsInName('token-', names)).toBe(false);
  });
});
