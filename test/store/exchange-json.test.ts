import { bytesBody, encodeBody, type BodyRecord, type ExchangeRecord } from '../../src/records';
import { exchangeOfJson, mismatchOfJson, storedExchangeJson } from '../../src/store/exchange-json';
import { exchangeRecord } from '../support/exchanges';

const text = (n: number, extra = '') =>
  JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ id: i, name: `"item" ${i}\n` })), extra });
const body = (b: string | Buffer | null) => (b === null ? null : typeof b === 'string' ? encodeBody(Buffer.from(b)) : bytesBody(b));

function exchange(
  legacyBody: string | Buffer | null,
  candidateBody: string | Buffer | null | undefined,
  o: { header?: string; request?: string; candidateRequest?: string; repeat?: string } = {},
): ExchangeRecord {
  const request = {
    method: 'POST',
    path: '/x',
    query: {},
    headers: { host: 'h', 'x-note': o.header ?? 'x' },
    body: body(o.request ?? null),
  };
  const response = (b: string | Buffer | null, ms: number) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: body(b),
    durationMs: ms,
  });
  return exchangeRecord({
    request,
    legacy: response(legacyBody, 1),
    ...(o.candidateRequest === undefined ? {} : { candidateRequest: { ...request, path: '/v2/x', body: body(o.candidateRequest) } }),
    ...(candidateBody === undefined ? {} : { candidate: response(candidateBody, 2) }),
    ...(o.repeat === undefined ? {} : { legacyRepeat: response(o.repeat, 3) }),
  });
}

const stored = (ex: ExchangeRecord) => JSON.parse(storedExchangeJson(ex)) as Record<string, { body: Record<string, unknown> | null }>;

describe('storedExchangeJson / exchangeOfJson: a body shared with another stored once', () => {
  const shared = text(40);
  const bytes = Buffer.from(shared);

  it.each([
    ['a body legacy and the candidate share (text)', exchange(shared, shared)],
    ['a body legacy and the candidate share (the same bytes)', exchange(bytes, bytes)],
    ['different bodies', exchange(shared, text(40, 'other'))],
    ['a short shared body', exchange('{"a":1}', '{"a":1}')],
    ['the marker text in a header', exchange(shared, shared, { header: '"sameAs":"legacy"' })],
    ['the marker text in the bodies', exchange(text(40, '"sameAs":"legacy"'), text(40, '"sameAs":"legacy"'))],
    ['no candidate', exchange(shared, undefined)],
    ['no bodies', exchange(null, null)],
    ['a truncated candidate body', { ...exchange(shared, null), candidate: { ...exchange(shared, null).legacy, body: truncated() } }],
    [
      'a request no translator changed, and a repeat',
      exchange(shared, shared, { request: shared, candidateRequest: shared, repeat: shared }),
    ],
    [
      'a translated request, a repeat that differs',
      exchange(shared, shared, { request: shared, candidateRequest: text(3), repeat: text(2) }),
    ],
    [
      'a binary body shared',
      exchange(Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]), Buffer.concat([Buffer.from([0xff, 0xfe]), bytes])),
    ],
  ])('reads back what was stored for %s', (_, ex) => {
    const json = storedExchangeJson(ex);
    expect(exchangeOfJson(json)).toEqual(ex);
    expect(JSON.stringify(exchangeOfJson(json))).toBe(JSON.stringify(ex)); // field order too
    expect(mismatchOfJson(`{"exchange":${json},"result":{"class":"mismatch"}}`).exchange).toEqual(ex);
  });

  it('stores the candidate body as a reference to legacy: the text once, the other fields kept', () => {
    const ex = exchange(shared, shared);
    const json = storedExchangeJson(ex);
    expect(json.split(JSON.stringify(shared)).length).toBe(2);
    expect(stored(ex).candidate.body).toEqual({ encoding: 'utf8', sameAs: 'legacy', size: ex.candidate!.body!.size, truncated: false });
    expect(json.length).toBeLessThan(JSON.stringify(ex).length - shared.length);
  });

  it('references the request a translator left alone, and a repeat of legacy', () => {
    const s = stored(exchange(shared, text(3), { request: shared, candidateRequest: shared, repeat: shared }));
    expect(s.candidateRequest.body).toMatchObject({ sameAs: 'request' });
    expect(s.legacyRepeat.body).toMatchObject({ sameAs: 'legacy' });
    expect(s.candidate.body).toHaveProperty('data', text(3));
  });

  it('stores in full what differs, is short, or is another encoding of the same text', () => {
    expect(storedExchangeJson(exchange(shared, text(40, 'other')))).toBe(JSON.stringify(exchange(shared, text(40, 'other'))));
    expect(storedExchangeJson(exchange('{"a":1}', '{"a":1}'))).toBe(JSON.stringify(exchange('{"a":1}', '{"a":1}')));
    const ex = exchange(shared, shared);
    const b64: BodyRecord = { ...ex.candidate!.body!, encoding: 'base64', data: Buffer.from(shared).toString('base64') };
    const other = { ...ex, legacy: { ...ex.legacy, body: { ...ex.legacy.body!, encoding: 'base64' as const, data: shared } } };
    expect(storedExchangeJson({ ...ex, candidate: { ...ex.candidate!, body: b64 } })).not.toContain('sameAs');
    expect(storedExchangeJson(other)).not.toContain('sameAs');
  });

  it('cannot be spoofed: a body holding the marker, as text or as a field beside its data, reads as it was', () => {
    for (const marker of ['{"sameAs":"legacy"}', '"sameAs":"legacy"', JSON.stringify({ encoding: 'utf8', sameAs: 'legacy' })]) {
      const ex = exchange(shared, marker);
      expect(exchangeOfJson(storedExchangeJson(ex))).toEqual(ex);
    }
    // a body record carrying a sameAs field beside its data is not a reference (it has data)
    const odd = exchange(shared, text(3));
    (odd.candidate!.body as unknown as Record<string, unknown>).sameAs = 'legacy';
    expect(exchangeOfJson(JSON.stringify(odd)).candidate!.body!.data).toBe(text(3));
    // a reference naming another body than its source (a damaged record) reads as an empty body, not as a reference
    const wrong = JSON.parse(storedExchangeJson(exchange(shared, shared))) as ExchangeRecord;
    (wrong.candidate!.body as unknown as Record<string, unknown>).sameAs = 'request';
    expect(exchangeOfJson(JSON.stringify(wrong)).candidate!.body).toEqual({ ...wrong.legacy.body, data: '' });
  });

  it('reads a record stored in full (before references) as it is', () => {
    const ex = exchange(shared, shared, { request: shared, candidateRequest: shared, repeat: shared });
    expect(exchangeOfJson(JSON.stringify(ex))).toEqual(ex);
  });
});

function truncated(): BodyRecord {
  return { encoding: 'utf8', data: '', size: 10_000_000, truncated: true, sha256: 'a'.repeat(64) };
}
