import { gzipSync } from 'node:zlib';
import { normalisePair, normaliseResponse } from '../../src/compare';
import { bytesBody, encodeBody, type ExchangeRecord, type ResponseRecord } from '../../src/records';
import { createTranslatorRegistry, defineTranslator } from '../../src/translate';
import { processExchange } from '../../src/worker/process-exchange';
import { exchangeRecord } from '../support/exchanges';

const JSON_CT = { 'content-type': 'application/json' };
const opts = { maxDecompressedBytes: 1 << 20 };
const doc = Buffer.from('{"id":7,"items":[{"n":1},{"n":2}]}');
const res = (body: ResponseRecord['body'], headers: Record<string, string> = JSON_CT, status = 200): ResponseRecord => ({
  status,
  headers,
  body,
  durationMs: 1,
});

describe('normalisePair: a body byte for byte like legacy is shared, read once and only if needed', () => {
  const legacyRecord = res(bytesBody(doc));

  it.each([
    ['the same buffer', res(legacyRecord.body)],
    ['an equal buffer', res(bytesBody(Buffer.from(doc)))],
    ['equal text', res(encodeBody(doc))],
  ])('shares one body with %s, and each is what normaliseResponse gives', (_, candidate) => {
    const [l, c] = normalisePair(legacyRecord, candidate, opts);
    expect(c.body).toBe(l.body);
    expect(c.raw!.record).toBe(candidate.body);
    expect(l.raw!.record).toBe(legacyRecord.body);
    expect(l).toEqual(normaliseResponse(legacyRecord, opts));
    expect(c).toEqual(normaliseResponse(candidate, opts));
  });

  it.each([
    ['other bytes of the same size', res(bytesBody(Buffer.from(doc.toString().replace('7', '8'))))],
    ['another content-type', res(bytesBody(doc), { 'content-type': 'text/plain' })],
    ['a content-encoding', res(bytesBody(gzipSync(doc)), { ...JSON_CT, 'content-encoding': 'gzip' })],
    ['a body-less status', res(bytesBody(doc), JSON_CT, 204)],
    ['no body', res(null)],
  ])('normalises each on its own when the candidate has %s', (_, candidate) => {
    const [l, c] = normalisePair(legacyRecord, candidate, opts);
    expect(c.body).not.toBe(l.body);
    expect(l).toEqual(normaliseResponse(legacyRecord, opts));
    expect(c).toEqual(normaliseResponse(candidate, opts));
  });
});

describe('processExchange with a candidate answering legacy bytes', () => {
  const exchange = (): ExchangeRecord => {
    const request = { method: 'GET', path: '/x', query: {}, headers: { host: 'h' }, body: null };
    const part = Buffer.from(doc);
    return exchangeRecord({ request, legacy: res(bytesBody(part)), candidate: res(bytesBody(part)) });
  };

  it('matches without a translator', async () => {
    const translators = createTranslatorRegistry([], [{ name: 'r' }]);
    const out = await processExchange(exchange(), { translators, rulesFor: () => ({}), maxDecompressedBytes: 1 << 20 });
    expect(out.result.class).toBe('match');
  });

  it("hands a response translator a body of the candidate's own, which it may change in place", async () => {
    const mutating = defineTranslator({
      name: 'mutating',
      response: (r) => {
        (r.body as { id: number }).id = 8;
        return r;
      },
    });
    const translators = createTranslatorRegistry([mutating], [{ name: 'r', translator: 'mutating' }]);
    const out = await processExchange(exchange(), { translators, rulesFor: () => ({}), maxDecompressedBytes: 1 << 20 });
    expect(out.result.class).toBe('mismatch');
    expect(out.result.differences).toEqual([expect.objectContaining({ path: 'id', legacy: 7, candidate: 8 })]);
  });
});

describe('normaliseResponse of a body holding its bytes', () => {
  it('parses the bytes without decoding the record into a text of its own (the parse decodes them once)', () => {
    const body = bytesBody(Buffer.from(doc));
    const read = jest.spyOn(body, 'data', 'get');
    expect(normaliseResponse(res(body), opts).body).toEqual({ kind: 'json', value: { id: 7, items: [{ n: 1 }, { n: 2 }] } });
    expect(read).not.toHaveBeenCalled();
  });
});
