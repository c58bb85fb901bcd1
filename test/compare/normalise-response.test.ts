import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { normaliseResponse } from '../../src/compare';
import { MB, normalise, record } from './helpers';

const JSON_CT = { 'content-type': 'application/json; charset=utf-8' };
const payload = JSON.stringify({ id: 7, name: 'café' });

describe('normaliseResponse: decompression', () => {
  it.each([
    ['gzip', gzipSync(payload)],
    ['x-gzip', gzipSync(payload)],
    ['deflate', deflateSync(payload)],
    ['br', brotliCompressSync(payload)],
  ])('decodes %s bodies', (encoding, bytes) => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': encoding }, bytes));
    expect(n.body).toEqual({ kind: 'json', value: { id: 7, name: 'café' } });
  });

  it('accepts raw deflate (no zlib wrapper) as servers sometimes send', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'deflate' }, deflateRawSync(payload)));
    expect(n.body).toEqual({ kind: 'json', value: { id: 7, name: 'café' } });
  });

  it('undoes a list of encodings in reverse order', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'gzip, br' }, brotliCompressSync(gzipSync(payload))));
    expect(n.body).toEqual({ kind: 'json', value: { id: 7, name: 'café' } });
  });

  it('treats identity as no encoding', () => {
    expect(normalise(record(200, { ...JSON_CT, 'content-encoding': 'identity' }, payload)).body.kind).toBe('json');
  });

  it('refuses a gzip bomb (50 MB of zeros, cap 1 MB) without expanding it', () => {
    const bomb = gzipSync(Buffer.alloc(50 * MB));
    expect(bomb.length).toBeLessThan(100_000);
    const started = process.hrtime.bigint();
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'gzip' }, bomb), MB);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(n.body.kind).toBe('too_large');
    expect(n.body).toMatchObject({ size: bomb.length, reason: `gzip body decompresses to more than ${MB} bytes; refused` });
    expect(ms).toBeLessThan(500);
  });

  it('refuses a brotli bomb the same way', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'br' }, brotliCompressSync(Buffer.alloc(20 * MB))), MB);
    expect(n.body).toMatchObject({ kind: 'too_large', reason: expect.stringContaining('br body decompresses to more than') });
  });

  it('marks unknown encodings unparseable', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'zstd' }, payload));
    expect(n.body).toEqual({ kind: 'unparseable', reason: 'unsupported content-encoding "zstd"' });
  });

  it('marks corrupt gzip unparseable with the zlib message', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'gzip' }, 'not gzip at all'));
    expect(n.body).toEqual({ kind: 'unparseable', reason: 'gzip body could not be decompressed: incorrect header check' });
  });
});

describe('normaliseResponse: parsing by content type', () => {
  it('parses application/json and +json', () => {
    expect(normalise(record(200, JSON_CT, '[1,2]')).body).toEqual({ kind: 'json', value: [1, 2] });
    expect(normalise(record(400, { 'content-type': 'application/problem+json' }, '{"title":"bad"}')).body).toEqual({
      kind: 'json',
      value: { title: 'bad' },
    });
  });

  it('strips a UTF-8 BOM before parsing JSON, and records it', () => {
    expect(normalise(record(200, JSON_CT, '\uFEFF{"a":1}')).body).toEqual({
      kind: 'json',
      value: { a: 1 },
      encoding: { charset: 'utf-8', declared: true, bom: 'utf-8' },
    });
  });

  it('gives invalid JSON as unparseable with the parser message', () => {
    const n = normalise(record(200, JSON_CT, '{"a":'));
    expect(n.body.kind).toBe('unparseable');
    expect((n.body as { reason: string }).reason).toMatch(/^invalid JSON: .*(Unexpected end|JSON)/);
  });

  it('parses urlencoded forms with repeated keys as arrays', () => {
    const n = normalise(record(200, { 'content-type': 'application/x-www-form-urlencoded' }, 'q=a+b&tag=1&tag=2&tag=3&e=%C3%A9'));
    expect(n.body).toEqual({ kind: 'form', value: { q: 'a b', tag: ['1', '2', '3'], e: 'é' } });
  });

  it('keeps a __proto__ form field as a plain field', () => {
    const n = normalise(record(200, { 'content-type': 'application/x-www-form-urlencoded' }, '__proto__=x'));
    expect(n.body.kind).toBe('form');
    expect(Object.keys((n.body as { value: object }).value)).toEqual(['__proto__']);
  });

  it.each([
    'text/plain',
    'text/html; charset=utf-8',
    'application/xml',
    'application/atom+xml',
    'application/javascript',
    'text/javascript',
  ])('reads %s as text', (ct) => {
    expect(normalise(record(200, { 'content-type': ct }, 'hello\nworld')).body).toEqual({ kind: 'text', value: 'hello\nworld' });
  });

  it('compares invalid UTF-8 text by hash instead of crashing', () => {
    const bytes = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x00]);
    const n = normalise(record(200, { 'content-type': 'text/plain' }, bytes));
    expect(n.body).toEqual({ kind: 'binary', size: 5, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('gives invalid UTF-8 under a JSON content type as unparseable', () => {
    const n = normalise(record(200, JSON_CT, Buffer.from([0x7b, 0xff, 0x7d])));
    expect(n.body).toEqual({ kind: 'unparseable', reason: 'invalid JSON: body is not valid UTF-8' });
  });

  it('reads anything else (and a missing content type) as binary: size and sha256', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const sha = createHash('sha256').update(png).digest('hex');
    expect(normalise(record(200, { 'content-type': 'image/png' }, png)).body).toEqual({ kind: 'binary', size: 7, sha256: sha });
    expect(normalise(record(200, {}, '{"a":1}')).body.kind).toBe('binary');
  });
});

describe('normaliseResponse: empty and truncated bodies', () => {
  it.each([
    ['204', record(204, JSON_CT, '')],
    ['304 even with bytes recorded', record(304, JSON_CT, '{"a":1}')],
    ['no body record', record(200, JSON_CT)],
    ['zero-length body', record(200, JSON_CT, '')],
  ])('gives %s as empty', (_, rec) => {
    expect(normalise(rec).body).toEqual({ kind: 'empty' });
  });

  it('gives HEAD responses as empty', () => {
    expect(normaliseResponse(record(200, JSON_CT, '{"a":1}'), { maxDecompressedBytes: MB, method: 'HEAD' }).body).toEqual({
      kind: 'empty',
    });
  });

  it('gives a gzip of nothing as empty', () => {
    expect(normalise(record(200, { ...JSON_CT, 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(0)))).body).toEqual({ kind: 'empty' });
  });

  it('gives a truncated body record as too_large', () => {
    const rec = record(200, JSON_CT);
    rec.body = { encoding: 'base64', data: '', size: 5 * MB, truncated: true, sha256: 'ab'.repeat(32) };
    expect(normalise(rec).body).toEqual({
      kind: 'too_large',
      size: 5 * MB,
      sha256: 'ab'.repeat(32),
      reason: `body of ${5 * MB} bytes is larger than the capture limit`,
    });
  });

  it('keeps the raw record for the identical-bytes fast path', () => {
    const n = normalise(record(200, { ...JSON_CT, 'content-encoding': 'gzip' }, gzipSync(payload)));
    expect(n.raw).toMatchObject({ contentEncoding: 'gzip', mediaType: 'application/json' });
    expect(normalise(record(204, JSON_CT, '')).raw).toBeUndefined();
  });
});
