import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { CompareRules } from '../../src/config';
import { compareResponses, legacyNoisePaths, normaliseResponse, type NormalisedResponse } from '../../src/compare';
import * as parseBody from '../../src/compare/parse-body';
import { bytesBody, encodeBody, type ExchangeRecord, type Headers, type ResponseRecord } from '../../src/records';
import { createTranslatorRegistry } from '../../src/translate';
import { processExchange, type ProcessedExchange } from '../../src/worker/process-exchange';
import { exchangeArb, responseOf, answerArb } from './exchange-arbitraries';
import { exchangeRecord } from '../support/exchanges';

/**
 * #20: a candidate answering legacy's very bytes is compared without parsing the body
 * (it is read lazily, and a comparison of two responses with the same raw body never
 * reads it). The result must be the full path's for every input.
 */

const translators = createTranslatorRegistry([], [{ name: 'r' }]);
const SELF = 'legacy.test';

/** The full path: each side normalised on its own and its body read at once (as before #20), then compared. */
function fullPath(
  ex: ExchangeRecord,
  rules: CompareRules,
  maxDecompressedBytes: number,
): Pick<ProcessedExchange, 'result' | 'repeatPaths'> {
  const opts = { maxDecompressedBytes };
  const eager = (n: NormalisedResponse): NormalisedResponse => {
    const body = n.body;
    return n.raw && body.kind !== 'empty'
      ? { status: n.status, headers: n.headers, body, raw: n.raw }
      : { status: n.status, headers: n.headers, body };
  };
  const legacy = eager(normaliseResponse(ex.legacy, opts));
  const candidate = eager(normaliseResponse(ex.candidate!, opts));
  const legacyRepeat = ex.legacyRepeat ? eager(normaliseResponse(ex.legacyRepeat, opts)) : undefined;
  const result = compareResponses(legacy, candidate, { rules, legacyRepeat, selfHosts: [SELF] });
  return { result, ...(legacyRepeat ? { repeatPaths: legacyNoisePaths(legacy, legacyRepeat, rules) } : {}) };
}

describe('a candidate answering legacy bytes: the same result as the full path', () => {
  it('for generated exchanges (hostile bodies, compressed, charsets, status and header changes, repeats, rules)', async () => {
    await fc.assert(
      fc.asyncProperty(exchangeArb, async ({ exchange, rules, maxDecompressedBytes }) => {
        // a body over the capture cap never reaches the comparison
        fc.pre(!exchange.legacy.body?.truncated);
        const out = await processExchange(exchange, { translators, rulesFor: () => rules, maxDecompressedBytes });
        const full = fullPath(exchange, rules, maxDecompressedBytes);
        expect(out.result).toEqual(full.result);
        expect(out.repeatPaths).toEqual(full.repeatPaths);
      }),
      { numRuns: 600, seed: 20261129 },
    );
  });

  it('normalising the same answer twice (bytes or text record) gives equal bodies: same raw body, same body', () => {
    fc.assert(
      fc.property(answerArb, (a) => {
        const opts = { maxDecompressedBytes: 1 << 20 };
        const x = normaliseResponse(responseOf({ ...a, recording: 'bytes' }), opts);
        const y = normaliseResponse(responseOf({ ...a, recording: 'text' }), opts);
        expect(y.body).toEqual(x.body);
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });
});

const JSON_CT: Headers = { 'content-type': 'application/json' };
const answer = (body: Buffer | null, headers: Headers = JSON_CT, status = 200): ResponseRecord => ({
  status,
  headers,
  body: body && bytesBody(body),
  durationMs: 1,
});
const exchange = (legacy: ResponseRecord, candidate: ResponseRecord, legacyRepeat?: ResponseRecord): ExchangeRecord =>
  exchangeRecord({
    request: { method: 'GET', path: '/x', query: {}, headers: { host: SELF }, body: null },
    legacy,
    candidate,
    ...(legacyRepeat ? { legacyRepeat } : {}),
  });

describe('byte-equal bodies: what is parsed, and the result of each tricky kind', () => {
  let parses: jest.SpyInstance;
  /** Bodies parsed by the last `run`'s processExchange. */
  let parsed = 0;
  beforeEach(() => {
    parses = jest.spyOn(parseBody, 'parseComparedBody');
  });
  afterEach(() => parses.mockRestore());

  const run = async (ex: ExchangeRecord, rules: CompareRules = {}, maxDecompressedBytes = 1 << 20) => {
    const out = await processExchange(ex, { translators, rulesFor: () => rules, maxDecompressedBytes });
    parsed = parses.mock.calls.length;
    expect(out.result).toEqual(fullPath(ex, rules, maxDecompressedBytes).result);
    return out;
  };
  const doc = Buffer.from('{"id":9007199254740993,"items":[{"n":1.5},{"n":"é"}]}');

  it('parses neither body of an equal pair, and matches', async () => {
    const out = await run(exchange(answer(doc), answer(Buffer.from(doc))));
    expect(out.result.class).toBe('match');
    expect(parsed).toBe(0);
  });

  it('still reports a header difference of an equal pair without parsing', async () => {
    const out = await run(exchange(answer(doc, { ...JSON_CT, 'x-v': '1' }), answer(doc, { ...JSON_CT, 'x-v': '2' })), { headers: ['x-v'] });
    expect(out.result.class).toBe('mismatch');
    expect(out.fieldPaths).toEqual(['$headers.x-v']);
    expect(parsed).toBe(0);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"a":1'), 'match'],
    ['JSON nested too deeply', Buffer.from(`${'['.repeat(300)}${']'.repeat(300)}`), 'match'],
    ['invalid UTF-8 in JSON', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), 'match'],
  ])('an equal body of %s is a match, as the full path says', async (_, body, cls) => {
    const out = await run(exchange(answer(body), answer(Buffer.from(body))));
    expect(out.result.class).toBe(cls);
    expect(parsed).toBe(0);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"a":1'), 'legacy body: invalid JSON'],
    ['JSON nested too deeply', Buffer.from(`${'['.repeat(300)}${']'.repeat(300)}`), 'body nested too deeply to compare'],
  ])('an equal body of %s under a status change is parsed once and says why', async (_, body, reason) => {
    const out = await run(exchange(answer(body), answer(Buffer.from(body), JSON_CT, 201)));
    expect(out.result.class).toBe('mismatch');
    expect(out.result.reason).toContain(reason);
    expect(parsed).toBe(1);
  });

  it('decompresses neither side of an equal gzip pair, bomb or not', async () => {
    const gz = { ...JSON_CT, 'content-encoding': 'gzip' };
    const bomb = gzipSync(Buffer.alloc(1 << 16, 0x20));
    const out = await run(exchange(answer(bomb, gz), answer(Buffer.from(bomb), gz)), {}, 1024);
    expect(out.result.class).toBe('match');
    const small = await run(exchange(answer(gzipSync(doc), gz), answer(gzipSync(doc), gz)));
    expect(small.result.class).toBe('match');
    expect(parsed).toBe(0);
  });

  it.each([
    ['latin1 text', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=latin1'],
    ['a form', Buffer.from('q=a+b&tag=1&tag=2'), 'application/x-www-form-urlencoded'],
    ['UTF-16 JSON with a BOM', Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), 'application/json'],
    ['binary', Buffer.from([0, 1, 2, 255]), 'application/octet-stream'],
  ])('an equal body of %s matches without parsing', async (_, body, ct) => {
    const out = await run(exchange(answer(body, { 'content-type': ct }), answer(Buffer.from(body), { 'content-type': ct })));
    expect(out.result.class).toBe('match');
    expect(parsed).toBe(0);
  });

  it('an empty body and no body match', async () => {
    expect((await run(exchange(answer(Buffer.alloc(0)), answer(Buffer.alloc(0))))).result.class).toBe('match');
    expect((await run(exchange(answer(null), answer(null)))).result.class).toBe('match');
  });

  it('the same bytes as text and as bytes records are still equal', async () => {
    const legacy = answer(doc);
    const candidate: ResponseRecord = { ...answer(null), body: encodeBody(Buffer.from(doc)) };
    expect((await run(exchange(legacy, candidate))).result.class).toBe('match');
  });

  it('with a legacy repeat, learns noise from the parsed bodies (the full path)', async () => {
    const repeat = Buffer.from('{"id":9007199254740993,"items":[{"n":2.5},{"n":"é"}]}');
    const out = await run(exchange(answer(doc), answer(Buffer.from(doc)), answer(repeat)));
    expect(out.result.class).toBe('match');
    expect(out.repeatPaths).toEqual(['items[*].n']);
    expect(parsed).toBe(2);
  });

  it('a candidate differing by a byte is parsed and diffed exactly (big numbers kept)', async () => {
    const other = Buffer.from(doc.toString().replace('9007199254740993', '9007199254740992'));
    const out = await run(exchange(answer(doc), answer(other)));
    expect(out.result.class).toBe('mismatch');
    expect(out.fieldPaths).toEqual(['id']);
    expect(parsed).toBe(2);
  });
});
