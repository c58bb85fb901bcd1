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

describe('JSON keys with noise around a secret name', () => {
  const plain = createRedactor({ headers: [], bodyPaths: [] }, KEY);
  const JSON_TYPE = { 'content-type': 'application/json' };
  // Raw JSON keys: `\t`, `\u0000` and `\u0077` are escapes in the text.
  it.each([
    'password ',
    ' token',
    'password\\t',
    'pass\\u0077ord ',
    '\\u0000api_key',
    'amp;client_secret',
    'x;Password',
    '\\u00a0secret',
    '\\tpassword',
    '\\r\\ntoken',
  ])(
    'fingerprints the value of key %j in a body, in JSON inside a JSON string, a form value, a multipart part and a translator output',
    (raw) => {
      const doc = `{"user":"bob","a":{"${raw}":"SECRET-1"}}`;
      const key = JSON.parse(`"${raw}"`) as string;
      for (const [type, body] of [
        ['application/json', doc],
        ['application/json', JSON.stringify({ payload: doc })],
        ['application/x-www-form-urlencoded', `data=${encodeURIComponent(doc)}`],
        [
          'multipart/form-data; boundary=B',
          `--B\r\nContent-Disposition: form-data; name="p"\r\nContent-Type: application/json\r\n\r\n${doc}\r\n--B--\r\n`,
        ],
      ]) {
        const out = bytesOf(plain.response(response({ 'content-type': type }, body))).toString();
        expect(out).not.toContain('SECRET');
        expect(out).toContain('bob');
      }
      expect(JSON.stringify(plain.translated({ headers: {}, body: { a: { [key]: 'SECRET-2' } } }))).not.toContain('SECRET');
      expect(plain.names.field(['a', key])).toBe(true);
    },
  );

  it.each(['password_', 'passwords', 'my password', 'next_page_token ', 'amp;page', 'token;x'])('leaves key %j alone', (key) => {
    const r = response(JSON_TYPE, JSON.stringify({ a: { [key]: 'V-1' } }));
    expect(plain.response(r)).toBe(r);
    expect(plain.names.field(['a', key])).toBe(false);
  });

  it('matches redact.bodyPaths patterns by exact keys (any case), as before: noise around a key is not that key', () => {
    expect(redactor.names.field(['card', 'number'])).toBe(true);
    expect(redactor.names.field(['Card', 'NUMBER'])).toBe(true);
    expect(redactor.names.field(['a', 'b', 'SSN'])).toBe(true);
    expect(redactor.names.field(['card ', 'number'])).toBe(false);
    expect(redactor.names.field(['card', 'number '])).toBe(false);
    expect(redactor.names.field(['a', ' ssn'])).toBe(false);
    expect(redactor.names.field(['x', 'card', 'number'])).toBe(false);
    // A secret name under a configured path is secret whatever the noise around it.
    expect(redactor.names.field(['card', 'password '])).toBe(true);
  });
});
