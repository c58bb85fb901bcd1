import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { BodyRecord, ComparisonResult, ExchangeRecord } from '../../src/records';
import { bytesBody, bytesBodyAs, encodeBody } from '../../src/records';
import { contentHash } from '../../src/store/content-hash';
import type { MismatchRecord } from '../../src/store/record-types';
import { exchange } from '../support/exchanges';

/**
 * The content hash as it was written before #20's one-shot hashing: each part fed to one
 * SHA-1 as `<length>:<text>`. Stored dedupe entries hold these digests: the hash must not
 * change, or a mismatch stored before an upgrade is stored again after it.
 */
function streamed(
  ex: ExchangeRecord,
  translated: MismatchRecord['translatedCandidate'],
  result?: Pick<ComparisonResult, 'differences' | 'noise'>,
): string {
  const h = createHash('sha1');
  const part = (s: string) => h.update(`${s.length}:`).update(s);
  const body = (b: BodyRecord | null) => {
    if (!b) return part('-');
    part(b.encoding);
    part(b.truncated ? `truncated:${b.sha256 ?? ''}:${b.size}` : b.withheld ? `withheld:${b.withheld}:${b.size}` : b.data);
  };
  part(ex.route);
  part(String(ex.legacy.status));
  body(ex.legacy.body);
  part(String(ex.candidate?.status ?? -1));
  body(ex.candidate?.body ?? null);
  part(translated ? JSON.stringify([translated.status, translated.headers, translated.body]) : '');
  part(result ? JSON.stringify([result.differences, result.noise]) : '');
  return h.digest('hex');
}

describe('contentHash', () => {
  it('gives the digest of hashing its parts one by one, for any texts (lone surrogates, non-ASCII, empty)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (route, a, b) => {
        const ex = { ...exchange('x', {}, {}, { route }) };
        ex.legacy = { ...ex.legacy, body: { ...encodeBody(Buffer.from('{}')), data: a } };
        ex.candidate = { ...ex.candidate!, body: { ...encodeBody(Buffer.from('{}')), data: b } };
        const translated = { status: 200, headers: { 'x-t': b }, body: { v: a } };
        const result = { differences: [{ path: 'v', kind: 'changed' as const, legacy: a, candidate: b }], noise: [b] };
        expect(contentHash(ex, translated, result)).toBe(streamed(ex, translated, result));
        expect(contentHash(ex, undefined)).toBe(streamed(ex, undefined));
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('keeps parts apart: a body ending in a lone high surrogate and one starting with a low one hash as before', () => {
    const ex = exchange('x', {}, {});
    ex.legacy = { ...ex.legacy, body: { ...encodeBody(Buffer.from('{}')), data: 'a\ud800' } };
    ex.candidate = { ...ex.candidate!, body: { ...encodeBody(Buffer.from('{}')), data: '\udc00b' } };
    expect(contentHash(ex, undefined)).toBe(streamed(ex, undefined));
    // and what differs, differs
    const other = { ...ex, candidate: { ...ex.candidate, body: { ...ex.candidate.body!, data: '\udc00c' } } };
    expect(contentHash(other, undefined)).not.toBe(contentHash(ex, undefined));
  });

  it('gives the same digest for bodies holding their bytes (ASCII, other UTF-8, invalid UTF-8) as for their text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary-ascii' }).map((t) => Buffer.from(t)),
      fc.string({ unit: 'binary' }).map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(text, text, fc.boolean(), (a, b, asBase64) => {
        const ex = { ...exchange('x', {}, {}) };
        ex.legacy = { ...ex.legacy, body: bytesBody(a) };
        // a part queued as utf8 holding bytes that are not (an altered job) hashes as its decoded text
        ex.candidate = { ...ex.candidate!, body: asBase64 ? bytesBodyAs(b, 'base64') : bytesBodyAs(b, 'utf8') };
        const result = { differences: [{ path: 'v', kind: 'changed' as const, legacy: 1, candidate: 2 }], noise: [] };
        const expected = streamed(
          {
            ...ex,
            legacy: { ...ex.legacy, body: { ...ex.legacy.body! } },
            candidate: { ...ex.candidate, body: { ...ex.candidate.body! } },
          },
          undefined,
          result,
        );
        expect(contentHash(ex, undefined, result)).toBe(expected);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('hashes an ASCII body from its bytes, without decoding them into a text', () => {
    const ex = { ...exchange('x', {}, {}) };
    const legacy = bytesBody(Buffer.from('{"price":10}'));
    const candidate = bytesBody(Buffer.from('{"price":11}'));
    ex.legacy = { ...ex.legacy, body: legacy };
    ex.candidate = { ...ex.candidate!, body: candidate };
    const reads = [jest.spyOn(legacy, 'data', 'get'), jest.spyOn(candidate, 'data', 'get')];
    const hash = contentHash(ex, undefined);
    expect(reads.map((r) => r.mock.calls.length)).toEqual([0, 0]);
    reads.forEach((r) => r.mockRestore());
    expect(hash).toBe(streamed(ex, undefined));
  });
});
