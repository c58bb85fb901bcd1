import { deflateSync, gzipSync } from 'node:zlib';
import { translateRequest, type Translator } from '../../src/translate';
import { decodeBody } from '../../src/records';
import { bodyText, failure, request } from './fixtures';

/** A JSON request whose held body is `bytes` under `Transfer-Encoding: te` (as the proxy holds it: de-chunked, still coded). */
function coded(bytes: Buffer, te: string, headers: Record<string, string> = {}) {
  const req = request('POST', '/x', { body: bytes, headers: { 'content-type': 'application/json', ...headers } });
  delete req.headers['content-length'];
  req.headers['transfer-encoding'] = te;
  return req;
}

const seen: unknown[] = [];
const mapping: Translator = { name: 'map', request: (r) => (seen.push(r.body), { ...r, body: { got: r.body } }) };
const leaving: Translator = { name: 'leave', request: (r) => ({ ...r, headers: { ...r.headers, 'x-t': '1' } }) };

describe('a request body in transfer codings besides chunked, for a translator', () => {
  beforeEach(() => (seen.length = 0));

  it('is given decoded, through stacked codings and a content-encoding under them', async () => {
    const inner = gzipSync(Buffer.from('{"a":1}'));
    const out = await translateRequest(
      mapping,
      coded(deflateSync(gzipSync(inner)), 'gzip, deflate, chunked', { 'content-encoding': 'gzip' }),
    );
    expect(seen).toEqual([{ a: 1 }]);
    expect(JSON.parse(bodyText(out))).toEqual({ got: { a: 1 } });
    expect(out.headers['transfer-encoding']).toBeUndefined();
    expect(out.headers['content-encoding']).toBeUndefined();
  });

  it('is relayed as held, with its line, when the translator leaves it alone', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    const out = await translateRequest(leaving, coded(gz, 'gzip, chunked'));
    expect(out.headers['transfer-encoding']).toBe('gzip, chunked');
    expect(out.headers['x-t']).toBe('1');
    expect(decodeBody(out.body).equals(gz)).toBe(true);
  });

  it('is refused past the decoded-size cap, never expanded', async () => {
    const e = await failure(
      translateRequest(mapping, coded(gzipSync(Buffer.alloc(1 << 20)), 'gzip, chunked'), {}, { maxDecodedBytes: 1024 }),
    );
    expect(e.kind).toBe('untranslatable_input');
    expect(e.message).toMatch(/decompresses to more than 1024 bytes/);
    expect(seen).toEqual([]);
  });

  it.each([
    ['an unknown coding', Buffer.from('{}'), 'x-unknown, chunked', /unsupported transfer-coding "x-unknown"/],
    ['a stream that does not decode', Buffer.from('not gzip'), 'gzip, chunked', /gzip body could not be decompressed/],
    ['more codings than are decoded', Buffer.from('{}'), 'gzip, gzip, gzip, gzip, gzip, chunked', /5 transfer-codings; at most 4/],
    ['chunked before the last', Buffer.from('{}'), 'chunked, gzip, chunked', /"chunked" before the last/],
  ])('refuses %s as untranslatable input', async (_, bytes, te, reason) => {
    const e = await failure(translateRequest(mapping, coded(bytes, te)));
    expect(e.kind).toBe('untranslatable_input');
    expect(e.message).toMatch(reason);
    expect(seen).toEqual([]);
  });
});
