import fc from 'fast-check';
import type { Headers, RequestRecord } from '../../src/records';
import { callCandidate, headerCopy, SHADOW_HEADER } from '../../src/upstream/call-candidate';
import type { Upstream } from '../../src/upstream/create-upstream';
import type { SendOutcome } from '../../src/upstream/send-request';

const key = fc.oneof(
  fc.constantFrom('host', 'accept', 'x-request-id', SHADOW_HEADER, '__proto__', 'constructor', 'toString', '0', '12', 'content-length'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const value = fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }));
/** A header map as a parser builds one: own data properties (`__proto__` included, as a key). */
const map = fc.array(fc.tuple(key, value), { maxLength: 12 }).map((es) => Object.fromEntries(es) as Headers);
const shape = (h: Headers) => ({ entries: Object.entries(h), proto: Object.getPrototypeOf(h) as unknown });

describe('headerCopy', () => {
  it('copies keys, values and order as a spread does, without touching the prototype', () => {
    fc.assert(
      fc.property(map, (h) => {
        const copy = headerCopy(h);
        expect(copy).not.toBe(h);
        expect(shape(copy)).toEqual(shape({ ...h }));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the candidate the header map the spread version gave, keys added in the same order', async () => {
    const up = { url: new URL('http://127.0.0.1:9'), host: 'upstream' } as unknown as Upstream;
    await fc.assert(
      fc.asyncProperty(map, fc.boolean(), async (h, shadow) => {
        let sent: RequestRecord | undefined;
        const send = (_: Upstream, r: RequestRecord) => (
          (sent = r),
          Promise.resolve({ error: { kind: 'reset', message: '' } } as SendOutcome)
        );
        const request = { method: 'GET', path: '/p', query: {}, headers: h, body: null } as unknown as RequestRecord;
        await callCandidate(up, { translator: { name: 't' }, request, params: {}, requestId: 'r1', marks: { shadow } }, send);
        // The definition before headerCopy: a spread with Host and x-request-id, then the mark.
        const old: Headers = { ...h, host: sent!.headers.host, 'x-request-id': 'r1' };
        if (shadow) old[SHADOW_HEADER] = '1';
        expect(shape(sent!.headers)).toEqual(shape(old));
        expect(h).toEqual(Object.fromEntries(Object.entries(h))); // the client's map is left as it was
      }),
      { numRuns: 500 },
    );
  });
});
