import { gzipSync, gunzipSync } from 'node:zlib';
import { bytesBody, decodeBody, type ExchangeRecord, type Headers, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

/**
 * An exchange redacts each distinct body once (the candidate usually answers legacy's
 * bytes): these hold the shortcut to the result each body would get on its own.
 */
const redactor = createRedactor({ headers: [], bodyPaths: ['**.password'] }, 'test-redaction-key-0123456789');
const SECRET = '{"user":"bob","password":"SECRET-1"}';

const answer = (headers: Headers, bytes: Buffer): ResponseRecord => ({ status: 200, headers, body: bytesBody(bytes), durationMs: 1 });
const exchange = (legacy: ResponseRecord, candidate: ResponseRecord): ExchangeRecord => ({
  id: 'x1',
  route: 'r',
  customer: 'anonymous',
  at: 0,
  requestId: 'q',
  params: {},
  request: { method: 'GET', path: '/p', query: {}, headers: {}, body: null },
  legacy,
  candidate,
});
const text = (r: ResponseRecord | undefined) => decodeBody(r?.body).toString();

describe('redaction of an exchange whose bodies repeat', () => {
  const json = { 'content-type': 'application/json' };

  it("redacts a candidate body equal to legacy's (same Buffer or equal bytes) as legacy's", () => {
    const bytes = Buffer.from(SECRET);
    for (const candidateBytes of [bytes, Buffer.from(SECRET)]) {
      const out = redactor.exchange(exchange(answer(json, bytes), answer(json, candidateBytes)));
      expect(text(out.legacy)).not.toContain('SECRET');
      expect(text(out.candidate)).toBe(text(out.legacy));
      expect(text(out.candidate)).toBe(text(redactor.response(answer(json, Buffer.from(SECRET)))));
    }
  });

  it("keeps an unchanged repeated body as the candidate's own record", () => {
    const bytes = Buffer.from('{"user":"bob"}');
    const candidate = answer(json, bytes);
    const out = redactor.exchange(exchange(answer(json, bytes), candidate));
    expect(out.candidate!.body).toBe(candidate.body);
  });

  it('redacts the same bytes under another content type or encoding on their own', () => {
    const bytes = Buffer.from(SECRET);
    // As an octet stream a secret name in unparsed text withholds the body; as JSON it is redacted field by field.
    const out = redactor.exchange(exchange(answer(json, bytes), answer({ 'content-type': 'image/png' }, bytes)));
    expect(text(out.legacy)).toContain('"user":"bob"');
    expect(out.candidate!.body!.withheld).toBeDefined();
    // Gzip bytes: legacy says so and gets its JSON redacted; sent without content-encoding they are opaque bytes, kept.
    const zipped = gzipSync(Buffer.from(SECRET));
    const candidate = answer(json, zipped);
    const both = redactor.exchange(exchange(answer({ ...json, 'content-encoding': 'gzip' }, zipped), candidate));
    expect(gunzipSync(decodeBody(both.legacy.body)).toString()).not.toContain('SECRET');
    expect(both.candidate!.body).toBe(candidate.body);
  });

  it('redacts a different candidate body by itself', () => {
    const out = redactor.exchange(exchange(answer(json, Buffer.from('{"user":"bob"}')), answer(json, Buffer.from(SECRET))));
    expect(text(out.legacy)).toBe('{"user":"bob"}');
    expect(text(out.candidate)).not.toContain('SECRET');
  });
});
