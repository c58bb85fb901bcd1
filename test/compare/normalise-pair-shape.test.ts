import { setFlagsFromString } from 'node:v8';
import { normalisePair } from '../../src/compare';
import { bytesBody, type ResponseRecord } from '../../src/records';

// V8's own checks of an object's layout (natives syntax, allowed from here on for code compiled after this line)
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const res = (text: string): ResponseRecord => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: bytesBody(Buffer.from(text)),
  durationMs: 1,
});
const opts = { maxDecompressedBytes: 1 << 20 };

describe('normalisePair: the responses of a pair sharing one body', () => {
  it('are ordinary objects of one layout for every pair (no getter made per response: a dictionary each)', () => {
    const [l1, c1] = normalisePair(res('{"a":1}'), res('{"a":1}'), opts);
    const [l2, c2] = normalisePair(res('{"b":[2]}'), res('{"b":[2]}'), opts);
    for (const r of [l1, c1, l2, c2]) expect(hasFastProperties(r)).toBe(true);
    expect(haveSameMap(l1, l2)).toBe(true);
    expect(haveSameMap(c1, c2)).toBe(true);
  });

  it('read the body once, on the first read of either, and spread it like a field', () => {
    const [l, c] = normalisePair(res('{"a":1}'), res('{"a":1}'), opts);
    expect(Object.keys(l)).toEqual(['status', 'headers', 'body', 'raw']);
    expect(c.body).toBe(l.body);
    expect({ ...c }.body).toEqual({ kind: 'json', value: { a: 1 } });
    expect(JSON.stringify(l)).toContain('"body":{"kind":"json","value":{"a":1}}');
  });
});
