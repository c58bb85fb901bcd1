import { gunzipSync, gzipSync, brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { decodeBody, encodeBody, type RequestRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';

/**
 * A request body sent in transfer codings besides chunked (`Transfer-Encoding: gzip,
 * chunked`) is held de-chunked, still in those codings (RFC 9112 section 6.1: they are
 * applied over the content and its content codings). Redaction must read through them as it
 * reads content codings: before, such a body was stored gzipped with its secrets in it.
 */
const redactor = createRedactor({ headers: [], query: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const SECRET = 'SECRET-TE-1';

function request(headers: Record<string, string>, body: Buffer): RequestRecord {
  return { method: 'POST', path: '/p', query: {}, headers, body: encodeBody(body) } as unknown as RequestRecord;
}
const redactedRecord = (headers: Record<string, string>, body: Buffer) => redactor.request(request(headers, body)).body!;
const redacted = (headers: Record<string, string>, body: Buffer) => decodeBody(redactedRecord(headers, body));

describe('a request body in transfer codings besides chunked', () => {
  const json = Buffer.from(`{"user":"bob","password":"${SECRET}"}`);

  it('is redacted through its transfer codings and keeps them', () => {
    const out = redacted({ 'content-type': 'application/json', 'transfer-encoding': 'gzip, chunked' }, gzipSync(json));
    const text = gunzipSync(out).toString();
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/^\{"user":"bob","password":"\[REDACTED:[0-9a-f]{16}\]"\}$/);
  });

  it('is redacted through its content coding under its transfer coding (gzip in br)', () => {
    const body = brotliCompressSync(gzipSync(json));
    const out = redacted({ 'content-type': 'application/json', 'content-encoding': 'gzip', 'transfer-encoding': 'br, chunked' }, body);
    const text = gunzipSync(brotliDecompressSync(out)).toString();
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"user":"bob"');
  });

  it('is withheld when a transfer coding cannot be read', () => {
    const out = redactedRecord({ 'content-type': 'application/json', 'transfer-encoding': 'zstd, chunked' }, gzipSync(json));
    expect(out.withheld).toEqual(expect.any(String));
    expect(decodeBody(out).toString('latin1')).not.toContain(SECRET);
  });

  it('is withheld when it names more codings than the redactor reads', () => {
    let body = json;
    for (let i = 0; i < 6; i++) body = gzipSync(body);
    const out = redactedRecord(
      { 'content-type': 'application/json', 'transfer-encoding': 'gzip, gzip, gzip, gzip, gzip, gzip, chunked' },
      body,
    );
    expect(out.withheld).toEqual(expect.any(String));
  });
});
