import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { TEST_TOKEN } from '../support/tandem';
import { storedSecrets } from '../support/stored-secrets';
import { eventually, recordedPair, sendRaw } from '../e2e/fidelity-support';

/**
 * Fields named after the secret headers (`cookie`, `set-cookie`, `authorization`,
 * `proxy-authorization`, `x-tandem-token`) were stored in clear: `{"cookie":"sid=S"}` in a
 * mirrored POST body, `?authorization=Basic ...` in a query, while the header of that name
 * was fingerprinted. They are secret field names now, in every encoding field names are.
 */
const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const stored = (headers: Record<string, string>, body: string): string => {
  const r: ResponseRecord = redactor.response({ status: 200, headers, body: encodeBody(Buffer.from(body)), durationMs: 1 });
  return r.body?.withheld ? '' : decodeBody(r.body!).toString('latin1');
};
const JSON_TYPE = { 'content-type': 'application/json' };

describe('fields named after secret headers', () => {
  it.each([
    'cookie',
    'Cookie',
    'set-cookie',
    'set_cookie',
    'authorization',
    'Authorization',
    'proxy-authorization',
    'proxy_authorization',
    'x-tandem-token',
    'x_tandem_token',
  ])('%s is secret as a JSON key (any depth, inside a JSON string), a form and multipart field, a query and path parameter', (name) => {
    expect(stored(JSON_TYPE, JSON.stringify({ [name]: 'SECRET-1', keep: 'bob' }))).not.toContain('SECRET');
    expect(stored(JSON_TYPE, JSON.stringify({ a: [{ [name]: 'SECRET-1' }] }))).not.toContain('SECRET');
    expect(stored(JSON_TYPE, JSON.stringify({ payload: JSON.stringify({ [name]: 'SECRET-1' }) }))).not.toContain('SECRET');
    expect(stored(JSON_TYPE, JSON.stringify({ [`user[${name}]`]: 'SECRET-1' }))).not.toContain('SECRET');
    expect(stored({ 'content-type': 'application/x-www-form-urlencoded' }, `${name}=SECRET-1&keep=bob`)).not.toContain('SECRET');
    expect(
      stored(
        { 'content-type': 'multipart/form-data; boundary=B' },
        `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nsid=SECRET-1\r\n--B--\r\n`,
      ),
    ).not.toContain('SECRET');
    const q = redactor.request({
      method: 'GET',
      path: `/p;${name}=SECRET-1`,
      query: { [name]: 'SECRET-1', [`x[${name}]`]: 'SECRET-2' },
      rawQuery: `?${name}=SECRET-1&x%5B${name}%5D=SECRET-2`,
      headers: {},
      body: null,
    });
    expect(JSON.stringify(q)).not.toContain('SECRET');
  });

  it.each(['cookie_consent', 'cookies', 'authorization_url', 'set-cookie-policy', 'x-cookie-count'])('%s stays in clear', (name) => {
    expect(stored(JSON_TYPE, JSON.stringify({ [name]: 'VISIBLE-1' }))).toContain('VISIBLE-1');
    expect(stored({ 'content-type': 'application/x-www-form-urlencoded' }, `${name}=VISIBLE-1`)).toContain('VISIBLE-1');
  });
});

describe('a mirrored POST body with a cookie and an authorization field', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });

  it('reaches both backends as sent and is stored with both fingerprinted', async () => {
    const body = Buffer.from(JSON.stringify({ cookie: 'sid=SECRET-c', user: { authorization: 'Basic SECRET-a' }, keep: 'bob' }));
    const res = await sendRaw(p.tandem.url, {
      method: 'POST',
      path: '/t/login',
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(200);
    const candidate = await eventually(() => p.candidate.received.find((r) => r.url === '/t/login'));
    expect(candidate.body.equals(body)).toBe(true);
    type Row = { exchange: { request: { path: string; body: unknown } } };
    const row = await eventually(async () => {
      const rows = (await (
        await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        })
      ).json()) as Row[];
      return rows.find((r) => r.exchange.request.path === '/t/login');
    });
    expect(JSON.stringify(row)).toContain('bob');
    expect(JSON.stringify(row)).not.toContain('SECRET');
    expect((await storedSecrets(p.tandem.prefix, /SECRET-\w+/)).found).toEqual([]);
  });
});
