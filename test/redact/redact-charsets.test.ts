import { decode, encode } from 'iconv-lite';
import { decodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor, FINGERPRINT } from '../../src/redact';
import { FP, KEY, response } from './fixtures';

const redactor = createRedactor({ headers: [], bodyPaths: ['**.ssn', 'card.number'] }, KEY);

const redacted = (headers: Record<string, string>, body: Buffer | string) => redactor.response(response(headers, body));
const bytesOf = (r: ResponseRecord) => decodeBody(r.body);
/** The body in every 8- and 16-bit reading, so a secret shows whatever it was encoded in. */
const views = (b: Buffer) =>
  [
    b.toString('latin1'),
    b.toString('utf16le'),
    Buffer.from(b.subarray(0, b.length - (b.length % 2)))
      .swap16()
      .toString('utf16le'),
  ].join('\n');

describe('redaction in every charset the comparison can decode', () => {
  it.each([
    ['utf-16le', 'zoé'],
    ['utf-16be', 'zoé'],
    ['UTF-16LE', 'zoé'],
    ['windows-1252', 'zoé'],
    ['iso-8859-1', 'zoé'],
    ['shift_jis', 'ゾエ'],
    ['koi8-r', 'Зоя'],
  ])('redacts JSON declared as charset=%s and keeps it in that charset, byte for byte around the secret', (charset, user) => {
    const body = encode(`{"user":"${user}","password":"SECRET-1","n":12345678901234567891}`, charset);
    const out = redacted({ 'content-type': `application/json; charset=${charset}` }, body);
    const bytes = bytesOf(out);
    expect(views(bytes)).not.toContain('SECRET');
    // Still that charset: the stored headers stay honest.
    const text = decode(bytes, charset);
    expect(text.replace(FP, 'X')).toBe(`{"user":"${user}","password":"X","n":12345678901234567891}`);
  });

  it('redacts a UTF-16 form and text/plain JSON by their charset parameter', () => {
    const form = redacted(
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16le' },
      encode('user=bob&password=SECRET-2&page=2', 'utf-16le'),
    );
    expect(views(bytesOf(form))).not.toContain('SECRET');
    expect(bytesOf(form).toString('utf16le')).toMatch(/^user=bob&password=%5BREDACTED%3A[0-9a-f]{16}%5D&page=2$/);
    const text = redacted({ 'content-type': 'text/plain; charset=utf-16le' }, encode('{"password":"SECRET-3"}', 'utf-16le'));
    expect(views(bytesOf(text))).not.toContain('SECRET');
    expect(bytesOf(text).toString('utf16le')).toMatch(/^\{"password":"\[REDACTED:[0-9a-f]{16}\]"\}$/);
  });

  it('reads a UTF-16 byte-order mark without a charset, and keeps the mark', () => {
    for (const [bom, charset] of [
      [[0xfe, 0xff], 'utf-16be'],
      [[0xff, 0xfe], 'utf-16le'],
    ] as const) {
      const body = Buffer.concat([Buffer.from(bom), encode('{"password":"SECRET-4","a":1}', charset)]);
      for (const type of ['application/json', 'text/plain', '']) {
        const out = bytesOf(redacted(type ? { 'content-type': type } : {}, body));
        expect(views(out)).not.toContain('SECRET');
        expect([...out.subarray(0, 2)]).toEqual(bom);
        expect(out.length).toBeGreaterThan(20);
      }
    }
  });

  it('keeps a secret-free body in another charset as the same record', () => {
    const plain = response({ 'content-type': 'application/json; charset=utf-16le' }, encode('{"user":"bob"}', 'utf-16le'));
    expect(redactor.response(plain)).toBe(plain);
  });

  it('withholds UTF-16 it cannot read as such (declared UTF-8, or no charset and no BOM) when a secret name shows without its NULs', () => {
    const u16 = encode('{"password":"SECRET-15"}', 'utf-16le');
    for (const [type, body] of [
      ['application/json; charset=utf-8', Buffer.concat([Buffer.from([0xff, 0xfe]), u16])],
      ['application/json', u16],
      ['text/plain', encode('{"password":"SECRET-15"}', 'utf-16be')],
    ] as const) {
      const out = redacted({ 'content-type': type }, body);
      expect(out.body?.withheld).toMatch(FINGERPRINT);
      expect(out.body?.data).toBe('');
    }
    // A binary body with NULs and no secret name is kept.
    const png = response({ 'content-type': 'image/png' }, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]));
    expect(redactor.response(png)).toBe(png);
  });

  it('withholds a body in a charset it cannot decode, with the reason', () => {
    const out = redacted({ 'content-type': 'application/json; charset=x-klingon' }, '{"user":"bob"}');
    expect(out.body).toMatchObject({ data: '', withheld: expect.stringMatching(FINGERPRINT) });
    expect(out.body?.unreadable?.reason).toMatch(/unknown charset "x-klingon"/);
  });

  it('withholds a body whose bytes are not valid in its charset rather than re-encode them', () => {
    // 0x81 means nothing in windows-1252: re-encoding would change bytes that are not the secret.
    const body = Buffer.concat([Buffer.from('{"password":"SECRET-5","a":"'), Buffer.from([0x81]), Buffer.from('"}')]);
    const out = redacted({ 'content-type': 'application/json; charset=windows-1252' }, body);
    expect(out.body?.withheld).toMatch(FINGERPRINT);
    expect(out.body?.data).toBe('');
  });
});

describe('JSON inside forms and multipart parts', () => {
  const part = (name: string, content: string, type?: string) =>
    `--B\r\nContent-Disposition: form-data; name="${name}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n${content}\r\n`;

  it('redacts a JSON part (application/json, +json) as a JSON body, nested under its field name', () => {
    const body = [
      part('meta', '{"password":"SECRET-6","keep":"V-1"}', 'application/json'),
      part('card', '{"number":"SECRET-7","exp":"12/30"}', 'application/vnd.card+json'),
      part('note', 'hello'),
      '--B--\r\n',
    ].join('');
    const out = bytesOf(redacted({ 'content-type': 'multipart/form-data; boundary=B' }, body)).toString();
    expect(out).not.toContain('SECRET');
    expect(out.replace(FP, 'X')).toBe(
      [
        part('meta', '{"password":"X","keep":"V-1"}', 'application/json'),
        part('card', '{"number":"X","exp":"12/30"}', 'application/vnd.card+json'),
        part('note', 'hello'),
        '--B--\r\n',
      ].join(''),
    );
  });

  it('redacts a text part whose value is JSON, and withholds a JSON part it cannot read that names a secret', () => {
    const body = [part('data', ' {"user":{"Password":"SECRET-8"}}'), '--B--\r\n'].join('');
    const out = bytesOf(redacted({ 'content-type': 'multipart/form-data; boundary=B' }, body)).toString();
    expect(out).not.toContain('SECRET');
    expect(out).toContain('"Password":"[REDACTED:');
    const broken = [part('meta', '{"password":"SECRET-9",', 'application/json'), '--B--\r\n'].join('');
    expect(redacted({ 'content-type': 'multipart/form-data; boundary=B' }, broken).body?.withheld).toMatch(FINGERPRINT);
  });

  it('redacts urlencoded field values that are JSON, nested under the field name', () => {
    const form = 'data=%7B%22password%22%3A%22SECRET-10%22%2C%22v%22%3A1%7D&card={"number":"SECRET-11"}&q=%7Bnot+json&page=2';
    const out = bytesOf(redacted({ 'content-type': 'application/x-www-form-urlencoded' }, form)).toString();
    expect(decodeURIComponent(out)).not.toContain('SECRET');
    const fields = new URLSearchParams(out);
    expect(fields.get('data')).toMatch(/^\{"password":"\[REDACTED:[0-9a-f]{16}\]","v":1\}$/);
    expect(fields.get('card')).toMatch(/^\{"number":"\[REDACTED:[0-9a-f]{16}\]"\}$/);
    expect(out).toMatch(/&q=%7Bnot\+json&page=2$/); // not JSON: kept byte for byte
  });
});

describe('deep JSON', () => {
  const deep = (n: number, inner: string) => '['.repeat(n) + inner + ']'.repeat(n);

  it('withholds a valid body nested past the scan bound that names a secret, saying it is too deep (not invalid)', () => {
    const out = redacted({ 'content-type': 'application/json' }, deep(3000, '{"password":"SECRET-14"}'));
    expect(out.body?.withheld).toMatch(FINGERPRINT);
    expect(out.body?.unreadable).toEqual({ kind: 'unparseable', reason: expect.stringMatching(/nests deeper than \d+ levels/) });
  });

  it('keeps a deep body that names no secret as it is (nothing to hide; the comparison calls it too deep)', () => {
    const r = response({ 'content-type': 'application/json' }, deep(5000, '1'));
    expect(redactor.response(r)).toBe(r);
  });
});
