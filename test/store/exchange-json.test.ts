import { bytesBody, encodeBody, type ExchangeRecord } from '../../src/records';
import { exchangeJson } from '../../src/store/exchange-json';

const MARK = '\u0000tandem: the body legacy and the candidate share\u0000';
const text = (n: number, extra = '') =>
  JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ id: i, name: `"item" ${i}\n` })), extra });

function exchange(legacyBody: string | Buffer | null, candidateBody: string | Buffer | null | undefined, header = 'x'): ExchangeRecord {
  const body = (b: string | Buffer | null) => (b === null ? null : typeof b === 'string' ? encodeBody(Buffer.from(b)) : bytesBody(b));
  const request = { method: 'GET', path: '/x', query: {}, headers: { host: 'h', 'x-note': header }, body: null };
  return {
    id: 'e1',
    route: 'r',
    customer: 'anonymous',
    at: 1,
    requestId: 'e1',
    params: {},
    request,
    legacy: { status: 200, headers: { 'content-type': 'application/json' }, body: body(legacyBody), durationMs: 1 },
    ...(candidateBody === undefined
      ? {}
      : { candidate: { status: 200, headers: { 'content-type': 'application/json' }, body: body(candidateBody), durationMs: 2 } }),
  };
}

describe('exchangeJson: JSON.stringify of an exchange, a shared body escaped once', () => {
  const shared = text(40);
  const bytes = Buffer.from(shared);
  it.each([
    ['a body legacy and the candidate share (text)', exchange(shared, shared)],
    ['a body legacy and the candidate share (the same bytes)', exchange(bytes, bytes)],
    ['different bodies', exchange(shared, text(40, 'other'))],
    ['a short shared body', exchange('{"a":1}', '{"a":1}')],
    ['the marker in a header', exchange(shared, shared, MARK)],
    ['the marker in the shared body', exchange(text(40, MARK), text(40, MARK))],
    ['no candidate', exchange(shared, undefined)],
    ['no bodies', exchange(null, null)],
    [
      'a binary body shared',
      exchange(Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]), Buffer.concat([Buffer.from([0xff, 0xfe]), bytes])),
    ],
  ])('gives what JSON.stringify gives for %s', (_, ex) => {
    expect(exchangeJson(ex)).toBe(JSON.stringify(ex));
  });
});
