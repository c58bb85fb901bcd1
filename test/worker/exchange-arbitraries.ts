import { brotliCompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { CompareRules } from '../../src/config';
import { bytesBody, encodeBody, type BodyRecord, type ExchangeRecord, type Headers, type ResponseRecord } from '../../src/records';
import { exchangeRecord } from '../support/exchanges';

/**
 * fast-check arbitraries of whole exchanges whose candidate mostly answers legacy's bytes:
 * hostile bodies (invalid, too deep, big numbers, unicode and invalid UTF-8, BOMs, other
 * charsets, forms, text, binary, empty), compressed or not (gzip, br, corrupt, unknown,
 * bombs past a small `maxDecompressedBytes`), recorded whole, truncated or withheld, with
 * status and header changes, a legacy repeat and rules that touch the body.
 */

const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;

/** Body text (or bytes) of every tricky kind. */
export const bodyBytesArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.json({ maxDepth: 4 }).map((j) => Buffer.from(j)),
  fc.json({ maxDepth: 2 }).map((j) => Buffer.from(` ${j}\n`)),
  fc.string({ maxLength: 40 }).map((s) => Buffer.from(s)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Buffer.from(JSON.stringify({ s, n: [1, 2] }))),
  fc.integer({ min: 250, max: 262 }).map((d) => Buffer.from(deep(d, '[', ']'))),
  fc.integer({ min: 250, max: 262 }).map((d) => Buffer.from(deep(d, '{"a":', '}'))),
  fc.integer({ min: 250, max: 262 }).map((d) => Buffer.from('['.repeat(d))),
  fc
    .constantFrom(
      '9007199254740993',
      '12345678901234567891',
      '-0',
      '1e400',
      '1.0000000000000001',
      '0.1234567890123456789',
      '1E-350',
      '123.456e-7',
      '"1234567890123456789"',
    )
    .map((n) => Buffer.from(`{"id":${n},"v":[${n},1.5]}`)),
  fc
    .constantFrom('{"a":1,"a":2}', '{"__proto__":{"x":1},"n":12345678901234567890}', '{"a":1', '[1,]', 'null', '"x"', '{}', '[]', ' ')
    .map((s) => Buffer.from(s)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('q=a+b&tag=1&tag=2&__proto__=x'),
    Buffer.from('line one\nline two\r\n'),
  ),
  fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
);

/** Content types that pick each parser, with and without (odd) charsets. */
export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
  'application/json; charset=bogus',
  'application/problem+json',
  'text/plain',
  'text/plain; charset=iso-8859-1',
  'text/html; charset=bogus',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  undefined,
);

type Coding = 'none' | 'gzip' | 'br' | 'gzip,br' | 'corrupt' | 'zstd';
const codingArb: fc.Arbitrary<Coding> = fc.constantFrom('none', 'none', 'none', 'gzip', 'br', 'gzip,br', 'corrupt', 'zstd');

function encode(bytes: Buffer, coding: Coding): { bytes: Buffer; header?: string } {
  if (coding === 'none') return { bytes };
  if (coding === 'gzip') return { bytes: gzipSync(bytes), header: 'gzip' };
  if (coding === 'br') return { bytes: brotliCompressSync(bytes), header: 'br' };
  if (coding === 'gzip,br') return { bytes: brotliCompressSync(gzipSync(bytes)), header: 'gzip, br' };
  if (coding === 'corrupt') return { bytes, header: 'gzip' };
  return { bytes, header: 'zstd' };
}

type Recording = 'bytes' | 'text' | 'truncated' | 'withheld';
const recordingArb: fc.Arbitrary<Recording> = fc.constantFrom<Recording>(
  'bytes',
  'bytes',
  'bytes',
  'bytes',
  'text',
  'text',
  'truncated',
  'withheld',
);

function recorded(bytes: Buffer, how: Recording): BodyRecord {
  if (how === 'bytes') return bytesBody(bytes);
  if (how === 'text') return encodeBody(bytes);
  if (how === 'truncated') return { encoding: 'utf8', data: '', size: bytes.length + 1, truncated: true, sha256: 'ab'.repeat(32) };
  return { encoding: 'utf8', data: '', size: bytes.length, truncated: false, withheld: 'fp-1' };
}

/** What a backend answered: status, headers and a body as the proxy records it. */
export interface AnswerSpec {
  status: number;
  contentType?: string;
  coding: Coding;
  recording: Recording;
  body: Buffer;
  extraHeader?: string;
}

export const answerArb: fc.Arbitrary<AnswerSpec> = fc.record(
  {
    status: fc.constantFrom(200, 200, 200, 201, 204, 302, 404, 500),
    contentType: contentTypeArb,
    coding: codingArb,
    recording: recordingArb,
    body: bodyBytesArb,
    extraHeader: fc.constantFrom(undefined, 'a', 'b'),
  },
  { requiredKeys: ['status', 'coding', 'recording', 'body'] },
);

/** The response record of an answer (a fresh record and buffer each time). */
export function responseOf(a: AnswerSpec, withBody = true): ResponseRecord {
  const { bytes, header } = encode(Buffer.from(a.body), a.coding);
  const headers: Headers = {};
  if (a.contentType !== undefined) headers['content-type'] = a.contentType;
  if (header) headers['content-encoding'] = header;
  if (a.extraHeader) headers['x-extra'] = a.extraHeader;
  if (a.status === 302) headers.location = '/next';
  return { status: a.status, headers, body: withBody ? recorded(bytes, a.recording) : null, durationMs: 1 };
}

/** Rules that touch the body, headers and encoding (none of which may change a byte-equal pair's result). */
export const rulesArb: fc.Arbitrary<CompareRules> = fc.constantFrom<CompareRules>(
  {},
  { ignore: ['$charset'] },
  { ignore: ['$body', 'id'] },
  { noise: ['**'] },
  { noise: ['$headers.*'], headers: ['content-type', 'x-extra'] },
  { headers: ['content-type', 'x-extra', 'content-encoding'] },
  { arrayKeys: { v: 'id' }, unordered: ['n'], numericTolerance: 0.5, allowAdded: true },
);

/** An exchange, its rules and decompression bound. */
export interface ExchangeCase {
  exchange: ExchangeRecord;
  rules: CompareRules;
  maxDecompressedBytes: number;
}

/**
 * Exchanges whose candidate answers legacy's very bytes (most of them), the same bytes
 * under another status or header, or another answer; sometimes with a legacy repeat.
 */
export const exchangeArb: fc.Arbitrary<ExchangeCase> = fc
  .record({
    legacy: answerArb,
    candidate: fc.oneof(
      { weight: 5, arbitrary: fc.constant('same' as const) },
      { weight: 1, arbitrary: fc.constantFrom(200, 201, 204, 500, 404).map((status) => ({ status })) },
      { weight: 1, arbitrary: fc.constantFrom('a', 'b', undefined).map((extraHeader) => ({ extraHeader })) },
      { weight: 1, arbitrary: contentTypeArb.map((contentType) => ({ contentType })) },
      { weight: 1, arbitrary: codingArb.map((coding) => ({ coding })) },
      { weight: 1, arbitrary: recordingArb.map((recording) => ({ recording })) },
      { weight: 1, arbitrary: answerArb },
    ),
    repeat: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constant('same' as const), answerArb),
    rules: rulesArb,
    maxDecompressedBytes: fc.constantFrom(1 << 20, 1 << 20, 24),
  })
  .map(({ legacy, candidate, repeat, rules, maxDecompressedBytes }) => {
    const candidateSpec = candidate === 'same' ? legacy : { ...legacy, ...candidate };
    const repeatSpec = repeat === 'same' ? legacy : repeat;
    const request = { method: 'GET', path: '/x', query: {}, headers: { host: 'legacy.test' }, body: null };
    const exchange: ExchangeRecord = exchangeRecord({
      request,
      legacy: responseOf(legacy),
      candidate: responseOf(candidateSpec),
      ...(repeatSpec ? { legacyRepeat: responseOf(repeatSpec) } : {}),
    });
    return { exchange, rules, maxDecompressedBytes };
  });
