import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

// UTF-16 that Tandem does not read as UTF-16 (a wrong or missing charset, a BOM that contradicts
// it) shows its ASCII names with NULs between the letters: withheld when a secret name shows so.
const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const redacted = (contentType: string, body: Buffer): ResponseRecord =>
  redactor.response({ status: 200, headers: { 'content-type': contentType }, body: encodeBody(body), durationMs: 1 });
const be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('UTF-16 not read as declared', () => {
  it.each([
    ['a UTF-16LE form with no charset', 'application/x-www-form-urlencoded', Buffer.from('n=1&password=SECRET-1', 'utf16le')],
    ['UTF-16LE JSON labelled Latin-1', 'application/json; charset=iso-8859-1', Buffer.from('{"password":"SECRET-1"}', 'utf16le')],
    ['UTF-16BE text with its BOM labelled UTF-16LE', 'text/plain; charset=utf-16le', be('\ufeff{"password":"SECRET-1"}')],
    ['a UTF-16BE form labelled windows-1252', 'application/x-www-form-urlencoded; charset=windows-1252', be('password=SECRET-1')],
  ])('withholds %s holding a secret name', (_what, type, body) => {
    const out = redacted(type, body);
    expect(out.body?.withheld).toBeTruthy();
    expect(out.body?.unreadable?.reason).toMatch(/NUL bytes/);
  });

  it('keeps UTF-16 read as declared, a secret name in a value and all', () => {
    const body = Buffer.from('{"note":"the token is elsewhere"}', 'utf16le');
    const out = redacted('application/json; charset=utf-16le', body);
    expect(out.body?.withheld).toBeFalsy();
    expect(decodeBody(out.body!)).toEqual(body);
  });

  it('keeps a Latin-1 body with NUL bytes and no secret name', () => {
    const body = Buffer.from('a=1&b=\0\0x', 'latin1');
    expect(decodeBody(redacted('application/x-www-form-urlencoded', body).body!)).toEqual(body);
  });
});
