import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

const KEY = 'test-redaction-key-0123456789';
const redactor = createRedactor({ headers: [], bodyPaths: ['**.ssn', 'card.number'] }, KEY);

const response = (headers: Record<string, string>, body: string): ResponseRecord => ({
  status: 200,
  headers,
  body: encodeBody(Buffer.from(body)),
  durationMs: 1,
});
const bytesOf = (r: ResponseRecord) => decodeBody(r.body);

describe('default secret names', () => {
  const plain = createRedactor({ headers: [], bodyPaths: [] }, KEY);

  it.each([
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'api_key',
    'apikey',
    'api-key',
    'x-api-key',
    'secret',
    'client_secret',
    'private_key',
    'passwd',
    'Token',
  ])('treats %s as a secret in JSON, forms and the query', (name) => {
    const j = plain.response(response({ 'content-type': 'application/json' }, JSON.stringify({ a: { [name]: 'SECRET-12' } })));
    expect(bytesOf(j).toString()).not.toContain('SECRET');
    const f = plain.response(response({ 'content-type': 'application/x-www-form-urlencoded' }, `${name}=SECRET-13`));
    expect(bytesOf(f).toString()).not.toContain('SECRET');
    expect(plain.names.query(name)).toBe(true);
  });

  it('treats x-api-key as a secret header, and leaves names that merely contain a secret name alone', () => {
    expect(plain.names.header('X-Api-Key')).toBe(true);
    const body = JSON.stringify({ next_page_token: 'p2', tokens: 3, secretary: 'ann' });
    const r = response({ 'content-type': 'application/json' }, body);
    expect(redactor.response(r)).toBe(r);
  });
});
