import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

/**
 * A JSON key in the bracket form of a form name (`{"user[password]": "x"}`, what a client
 * serialising a form's fields as JSON sends) was not a secret name, while the form field
 * and query parameter `user[password]=x` were: the same credential stored in clear in one
 * encoding. JSON keys are now read as form names are, and so is the dot form
 * (`user.password`, as Spring's binder reads a form name), in both encodings.
 */
const redactor = createRedactor({ headers: [], bodyPaths: ['card.number'] }, 'test-redaction-key-0123456789');
const stored = (headers: Record<string, string>, body: string): string => {
  const r: ResponseRecord = redactor.response({ status: 200, headers, body: encodeBody(Buffer.from(body)), durationMs: 1 });
  return r.body?.withheld ? '' : decodeBody(r.body!).toString('latin1');
};
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('secret names in bracket and dot form', () => {
  it.each(['user[password]', 'password[]', 'password[new]', 'user[card][0][token]', 'user.password', 'a.0.token', 'user.x[api_key]'])(
    '%s is secret as a JSON key (at any depth), a form field and a query parameter',
    (name) => {
      expect(stored(JSON_TYPE, JSON.stringify({ [name]: 'SECRET-1', keep: 1 }))).not.toContain('SECRET');
      expect(stored(JSON_TYPE, JSON.stringify({ outer: [{ [name]: 'SECRET-1' }] }))).not.toContain('SECRET');
      expect(stored(FORM, `${encodeURIComponent(name)}=SECRET-1&keep=1`)).not.toContain('SECRET');
      const q = redactor.request({
        method: 'GET',
        path: '/p',
        query: { [name]: 'SECRET-1' },
        rawQuery: `?${encodeURIComponent(name)}=SECRET-1`,
        headers: {},
        body: null,
      });
      expect(JSON.stringify(q)).not.toContain('SECRET');
    },
  );

  it('a configured body path (`card.number`) matches the dotted key as it matches the nested one', () => {
    expect(stored(JSON_TYPE, JSON.stringify({ 'card.number': 'SECRET-1', card: { number: 'SECRET-2' } }))).not.toContain('SECRET');
  });

  it.each(['user[next_page_token]', 'meta.count', 'page.token_count', 'user[name]', 'a.b.c'])(
    '%s stays in clear in every encoding',
    (name) => {
      expect(stored(JSON_TYPE, JSON.stringify({ [name]: 'VISIBLE-1' }))).toContain('VISIBLE-1');
      expect(stored(FORM, `${encodeURIComponent(name)}=VISIBLE-1`)).toContain('VISIBLE-1');
    },
  );
});
