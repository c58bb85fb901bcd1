import { decodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor, FINGERPRINT } from '../../src/redact';
import { MAX_NESTED_ENCODINGS, MAX_NESTED_READS } from '../../src/redact/redact-limits';
import { FP, KEY, response } from './fixtures';

// Encodings inside encodings: a multipart part that is multipart, JSON or a form inside a
// JSON string, JSON inside those. Each is read (bounded) and its secrets fingerprinted.

const redactor = createRedactor({ headers: [], bodyPaths: ['**.ssn'] }, KEY);
const redacted = (headers: Record<string, string>, body: Buffer | string) => redactor.response(response(headers, body));
const textOf = (r: ResponseRecord) => decodeBody(r.body).toString();
const JSON_TYPE = { 'content-type': 'application/json' };
const part = (boundary: string, head: string, content: string) => `--${boundary}\r\n${head}\r\n\r\n${content}\r\n`;

describe('multipart inside multipart', () => {
  it('redacts a form-data part that is itself multipart/form-data, its fields named under the outer field', () => {
    const inner = [
      part('In', 'Content-Disposition: form-data; name="user"', 'bob'),
      part('In', 'Content-Disposition: form-data; name="Password"', 'SECRET-1'),
      part('In', 'Content-Disposition: form-data; name="ssn"', 'SECRET-2'),
      '--In--',
    ].join('');
    const body = [
      part('Out', 'Content-Disposition: form-data; name="login"\r\nContent-Type: multipart/form-data; boundary=In', inner),
      part('Out', 'Content-Disposition: form-data; name="keep"', 'V-1'),
      '--Out--\r\n',
    ].join('');
    const out = textOf(redacted({ 'content-type': 'multipart/form-data; boundary=Out' }, body));
    expect(out).not.toContain('SECRET');
    expect(out.replace(FP, 'X')).toBe(body.replace(/SECRET-\d/g, 'X'));
  });

  it('redacts the parts of a multipart/mixed part (files of one field, RFC 2388) and of a multipart/mixed body', () => {
    const mixed = [
      part('M', 'Content-Disposition: file; filename="a.json"\r\nContent-Type: application/json', '{"token":"SECRET-3","v":1}'),
      part('M', 'Content-Disposition: file; filename="b.bin"\r\nContent-Type: application/octet-stream', 'password=raw-file-bytes'),
      '--M--',
    ].join('');
    const body = [
      part('F', 'Content-Disposition: form-data; name="files"\r\nContent-Type: multipart/mixed; boundary=M', mixed),
      '--F--\r\n',
    ].join('');
    const out = textOf(redacted({ 'content-type': 'multipart/form-data; boundary=F' }, body));
    expect(out).not.toContain('SECRET');
    expect(out).toContain('{"token":"[REDACTED:');
    expect(out).toContain('password=raw-file-bytes'); // a file is kept as sent
    const top = textOf(redacted({ 'content-type': 'multipart/mixed; boundary=M' }, `${mixed}\r\n`));
    expect(top).not.toContain('SECRET');
    expect(top).toContain('"v":1');
  });

  it(`withholds a body whose multipart nests deeper than ${MAX_NESTED_ENCODINGS} levels with a secret name inside, saying why`, () => {
    let body = part('b0', 'Content-Disposition: form-data; name="password"', 'SECRET-4') + '--b0--';
    for (let i = 1; i <= MAX_NESTED_ENCODINGS + 1; i++) {
      body =
        part(`b${i}`, `Content-Disposition: form-data; name="p${i}"\r\nContent-Type: multipart/form-data; boundary=b${i - 1}`, body) +
        `--b${i}--`;
    }
    const top = `multipart/form-data; boundary=b${MAX_NESTED_ENCODINGS + 1}`;
    const out = redacted({ 'content-type': top }, body);
    expect(out.body?.withheld).toMatch(FINGERPRINT);
    expect(out.body?.unreadable).toEqual({ kind: 'unparseable', reason: expect.stringMatching(/nested deeper than \d+ levels/) });
    // One level less is read.
    const shallow = body.slice(body.indexOf('\r\n\r\n') + 4, body.lastIndexOf(`\r\n--b${MAX_NESTED_ENCODINGS + 1}--`));
    const read = textOf(redacted({ 'content-type': `multipart/form-data; boundary=b${MAX_NESTED_ENCODINGS}` }, shallow));
    expect(read).not.toContain('SECRET');
  });
});

describe('JSON and forms inside JSON string values', () => {
  it('redacts JSON inside a string value, under the value path, and keeps other bytes', () => {
    const body = JSON.stringify({ payload: JSON.stringify({ password: 'SECRET-5', user: 'bob' }), n: 1 });
    const out = textOf(redacted(JSON_TYPE, body));
    expect(out).not.toContain('SECRET');
    const outer = JSON.parse(out) as { payload: string; n: number };
    expect(JSON.parse(outer.payload)).toEqual({ password: expect.stringMatching(FINGERPRINT), user: 'bob' });
    expect(outer.n).toBe(1);
    // Configured body paths see the nested path.
    const ssn = textOf(redacted(JSON_TYPE, JSON.stringify({ a: JSON.stringify({ ssn: 'SECRET-6' }) })));
    expect(ssn).not.toContain('SECRET');
  });

  it('redacts a form inside a string value, and JSON inside that form, and JSON inside a form value inside a string', () => {
    const body = JSON.stringify({
      raw: 'user=bob&password=SECRET-7&page=2',
      deeper: `data=${encodeURIComponent(JSON.stringify({ token: 'SECRET-8', inner: JSON.stringify({ api_key: 'SECRET-9' }) }))}`,
      note: 'a=b', // no secret name: kept
    });
    const out = textOf(redacted(JSON_TYPE, body));
    expect(decodeURIComponent(out)).not.toContain('SECRET');
    const parsed = JSON.parse(out) as Record<string, string>;
    expect(parsed.raw).toMatch(/^user=bob&password=%5BREDACTED%3A[0-9a-f]{16}%5D&page=2$/);
    expect(parsed.note).toBe('a=b');
    const form = 'data=' + encodeURIComponent(JSON.stringify({ payload: JSON.stringify({ secret: 'SECRET-10' }) }));
    const f = textOf(redacted({ 'content-type': 'application/x-www-form-urlencoded' }, form));
    expect(decodeURIComponent(f)).not.toContain('SECRET');
  });

  it('fingerprints whole a JSON-looking string it cannot read that names a secret, and keeps one that names none', () => {
    const body = JSON.stringify({ a: '{"password":"SECRET-11"', b: '[not json]' });
    const out = JSON.parse(textOf(redacted(JSON_TYPE, body))) as Record<string, string>;
    expect(out.a).toMatch(FINGERPRINT);
    expect(out.b).toBe('[not json]');
  });

  it(`fingerprints whole a string nested deeper than ${MAX_NESTED_ENCODINGS} encodings, and stays linear on hostile input`, () => {
    let v: unknown = { password: 'SECRET-12' };
    for (let i = 0; i < 8; i++) v = { p: JSON.stringify(v) };
    const out = textOf(redacted(JSON_TYPE, JSON.stringify(v)));
    expect(out).not.toContain('SECRET');
    expect(out).toMatch(FP);
    // Many strings, each looking like JSON with a secret name: one pass per level at most.
    const many = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => `{"password":"SECRET-${i}"}`));
    const t = process.hrtime.bigint();
    const big = textOf(redacted(JSON_TYPE, many));
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(5_000);
    expect(big).not.toContain('SECRET');
  });

  it('redacts JSON inside strings of a translator output too', () => {
    const t = redactor.translated({ headers: {}, body: { payload: JSON.stringify({ password: 'SECRET-13' }) } });
    expect(JSON.stringify(t.body)).not.toContain('SECRET');
  });

  it('leaves an already redacted secret field alone', () => {
    const once = textOf(redacted(JSON_TYPE, JSON.stringify({ password: 'SECRET-14', x: 1 })));
    expect(textOf(redacted(JSON_TYPE, once))).toBe(once);
  });

  it(`reads at most ${MAX_NESTED_READS} encoded values in one body, then withholds it with the reason (a hostile body cannot stall the proxy)`, () => {
    const strings = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `{"password":"SECRET-${i}"}`));
    const within = textOf(redacted(JSON_TYPE, strings(MAX_NESTED_READS)));
    expect(within).not.toContain('SECRET');
    expect(JSON.parse(within)).toHaveLength(MAX_NESTED_READS);
    const over = redacted(JSON_TYPE, strings(MAX_NESTED_READS + 1)).body!;
    expect(over.withheld).toMatch(FINGERPRINT);
    expect(over.data).toBe('');
    expect(over.unreadable?.reason).toMatch(new RegExp(`more than ${MAX_NESTED_READS} encoded values`));
    // Each body has its own budget: the same redactor reads the next one in full.
    expect(textOf(redacted(JSON_TYPE, strings(10)))).not.toContain('SECRET');
  });
});
