import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { declaredCharset, headerParams } from '../../src/compare';
import { createRedactor } from '../../src/redact';

// Form values, multipart names and content-type parameters read as servers' parsers read them.
const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const redacted = (headers: Record<string, string>, body: Buffer | string): ResponseRecord =>
  redactor.response({ status: 200, headers, body: encodeBody(Buffer.isBuffer(body) ? body : Buffer.from(body)), durationMs: 1 });
/** Stored bytes, or '' when the body was withheld (then nothing of it is stored). */
const stored = (r: ResponseRecord) => (r.body?.withheld ? Buffer.alloc(0) : decodeBody(r.body!));
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_VALUE = encodeURIComponent('{"user":"bob","password":"SECRET-1"}');

describe('JSON inside a form value, with what JSON allows before it', () => {
  it.each([
    ['a newline', '%0A'],
    ['a tab', '%09'],
    ['a UTF-8 byte-order mark', '%EF%BB%BF'],
    ['eight spaces as +', '++++++++'],
    ['three spaces as %20', '%20%20%20'],
  ])('redacts the secret when the value starts with %s', (_what, prefix) => {
    const out = redacted(FORM, `a=1&data=${prefix}${JSON_VALUE}`);
    expect(decodeURIComponent(stored(out).toString('latin1'))).not.toContain('SECRET');
  });
});

describe('an undeclared form that is not UTF-8 keeps its other bytes', () => {
  it('stores the Latin-1 bytes of the other fields as sent, only the secret replaced', () => {
    const body = Buffer.from('n=caf\xe9&password=SECRET-1', 'latin1');
    const out = stored(redacted(FORM, body));
    expect(out.toString('latin1')).not.toContain('SECRET');
    // The client sent 0xE9 for é; a replay of the stored request must send that byte, not C3 A9.
    expect(out.subarray(0, 6)).toEqual(Buffer.from('n=caf\xe9', 'latin1'));
  });
});

describe('a multipart field named the ways form parsers accept', () => {
  const MP = { 'content-type': 'multipart/form-data; boundary=XyZ' };
  it.each([
    ['an unquoted name (RFC 2183 token)', 'form-data; name=password'],
    ['spaces around =', 'form-data; name = "password"'],
  ])('redacts a secret field with %s', (_what, disposition) => {
    const body = `--XyZ\r\nContent-Disposition: ${disposition}\r\n\r\nSECRET-1\r\n--XyZ--\r\n`;
    expect(stored(redacted(MP, body)).toString('latin1')).not.toContain('SECRET');
  });
});

describe('the charset parameter as content-type parsers read it', () => {
  it('does not take a charset= inside another quoted parameter for the charset', () => {
    const body = Buffer.from('{"password":"SECRET-1"}', 'utf16le');
    const out = stored(redacted({ 'content-type': 'application/json; foo="x;charset=utf-8"; charset=utf-16le' }, body));
    expect(out.toString('utf16le')).not.toContain('SECRET');
  });
});

describe('content-type and content-disposition parameters', () => {
  it('walks parameters, so quoted values hide nothing and hold any character', () => {
    expect(headerParams('application/json; foo="x;charset=utf-8"; charset=utf-16le')).toEqual([
      { name: 'foo', value: 'x;charset=utf-8' },
      { name: 'charset', value: 'utf-16le' },
    ]);
    expect(headerParams('form-data; NAME = "a\\"b"; filename=x.txt')).toEqual([
      { name: 'name', value: 'a"b' },
      { name: 'filename', value: 'x.txt' },
    ]);
    expect(headerParams('text/plain; junk; "charset=x"; charset=latin1')).toEqual([{ name: 'charset', value: 'latin1' }]);
  });

  it('reads two different charsets as ambiguous, so the body is unreadable and withheld', () => {
    expect(declaredCharset('text/plain; charset=utf-8; charset="UTF8"')).toBe('utf-8');
    expect(declaredCharset('application/json; charset=utf-8; charset=utf-16le')).toBe('utf-8, utf-16le');
    const body = Buffer.from('{"password":"SECRET-1"}', 'utf16le');
    const out = redacted({ 'content-type': 'application/json; charset=utf-8; charset=utf-16le' }, body);
    expect(out.body?.withheld).toBeTruthy();
    expect(out.body?.unreadable?.reason).toMatch(/charset/);
  });

  it("reads a multipart field's RFC 5987 name*", () => {
    const MP = { 'content-type': 'multipart/form-data; boundary=XyZ' };
    const body = `--XyZ\r\nContent-Disposition: form-data; name*=UTF-8''pass%77ord\r\n\r\nSECRET-1\r\n--XyZ--\r\n`;
    expect(stored(redacted(MP, body)).toString('latin1')).not.toContain('SECRET');
  });
});

describe('charset labels that are no text encoding', () => {
  it('withholds a body labelled charset=base64 (its bytes were stored verbatim, secret and all)', () => {
    const out = redacted({ 'content-type': 'application/json; charset=base64' }, '{"password":"SECRET-1"}');
    expect(out.body?.withheld).toBeTruthy();
  });
});
