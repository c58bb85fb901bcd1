import { gzipSync } from 'node:zlib';
import { bytesBody, decodeBody, type ExchangeRecord, type Headers, type ResponseRecord } from '../../src/records';
import { createRedactor, redactOffLoop, redactThread, type RedactThread } from '../../src/redact';

/**
 * An exchange whose bodies come to more than `ON_LOOP_BYTES` (64 KiB) is redacted on a
 * thread, never on the proxy's event loop, with the same result; one that fails or takes
 * too long there has its bodies withheld (size and fingerprint), never stored in clear.
 */
const redactor = createRedactor({ headers: ['x-secret'], bodyPaths: ['**.card'] }, 'test-redaction-key-0123456789', 8 << 20, 1 << 20);
const json = { 'content-type': 'application/json' };

/** ~`bytes` of JSON objects with a password and a card among them. */
const bigJson = (bytes: number, secret: string) => {
  const items = Array.from({ length: Math.floor(bytes / 24) }, (_, i) => `{"id":${i},"n":"i${i}"}`);
  items.splice(100, 0, `{"password":"${secret}","card":"${secret}"}`);
  return Buffer.from(`[${items.join(',')}]`);
};
const answer = (headers: Headers, bytes: Buffer): ResponseRecord => ({ status: 200, headers, body: bytesBody(bytes), durationMs: 1 });
const exchange = (body: Buffer | null, legacy: ResponseRecord, candidate: ResponseRecord): ExchangeRecord => ({
  id: 'x1',
  route: 'r',
  customer: 'acme;token=SECRET-C',
  at: 0,
  requestId: 'q',
  params: {},
  request: {
    method: 'POST',
    path: '/p',
    query: {},
    headers: { 'content-type': 'application/json', 'x-secret': 'SECRET-H' },
    body: body && bytesBody(body),
  },
  legacy,
  candidate,
});
/** The exchange as the queue would store it: bodies as text. */
const stored = (ex: ExchangeRecord) =>
  JSON.stringify(ex, (k, v: unknown) =>
    k === 'body' && v && typeof v === 'object' ? { ...v, data: decodeBody(v as never).toString('latin1') } : v,
  );

describe('redaction of a large exchange', () => {
  let thread: RedactThread;
  beforeAll(() => (thread = redactThread()));
  afterAll(() => thread.close());

  it('is done on the loop for small bodies, and refused there (null) past ON_LOOP_BYTES, in any coding', () => {
    const small = exchange(Buffer.from('{"password":"SECRET-1"}'), answer(json, Buffer.from('{}')), answer(json, Buffer.from('{}')));
    expect(stored(redactor.exchangeOnLoop(small, 64 << 10)!)).not.toContain('SECRET');
    const big = bigJson(200_000, 'SECRET-2');
    expect(redactor.exchangeOnLoop(exchange(big, answer(json, Buffer.from('{}')), answer(json, Buffer.from('{}'))), 64 << 10)).toBeNull();
    // 40 KB on each of three different bodies: 120 KB in all.
    const three = exchange(bigJson(40_000, 'A'), answer(json, bigJson(40_000, 'B')), answer(json, bigJson(40_000, 'C')));
    expect(redactor.exchangeOnLoop(three, 64 << 10)).toBeNull();
    // A 1 KB gzip decoding to 200 KB: the probe decodes no more than the bound.
    const gz = answer({ ...json, 'content-encoding': 'gzip' }, gzipSync(big));
    expect(gz.body!.size).toBeLessThan(64 << 10);
    expect(redactor.exchangeOnLoop(exchange(null, gz, gz), 64 << 10)).toBeNull();
    // The same bytes in several messages count once.
    const same = bigJson(40_000, 'D');
    expect(redactor.exchangeOnLoop(exchange(same, answer(json, same), answer(json, same)), 64 << 10)).not.toBeNull();
  });

  it('is redacted on the thread as on the loop: every body, header and the customer', async () => {
    const gz = answer({ ...json, 'content-encoding': 'gzip' }, gzipSync(bigJson(300_000, 'SECRET-3')));
    const ex = exchange(bigJson(1 << 20, 'SECRET-1'), answer(json, bigJson(500_000, 'SECRET-2')), gz);
    const before = stored(ex);
    const off = await redactOffLoop(redactor, thread, ex);
    expect(stored(off)).toBe(stored(redactor.exchange(ex)));
    expect(stored(off)).not.toMatch(/SECRET-[0-9HC]/);
    // The input is left as it was.
    expect(stored(ex)).toBe(before);
  }, 30_000);

  it("gives back a body without a secret as the proxy's own record (its bytes, not copied)", async () => {
    const plain = bigJson(200_000, 'x').toString().replace('"password"', '"passport"').replace('"card"', '"cart"');
    const ex = exchange(null, answer(json, Buffer.from(plain)), answer(json, Buffer.from(plain)));
    const off = await thread.redact(ex, redactor);
    expect(off.legacy.body).toBe(ex.legacy.body);
    expect(off.candidate!.body).toBe(ex.candidate!.body);
  }, 30_000);

  it('withholds every body when the thread times out or fails, and still redacts the rest', async () => {
    const ex = exchange(bigJson(1 << 20, 'SECRET-1'), answer(json, bigJson(500_000, 'SECRET-2')), answer(json, Buffer.from('{}')));
    const slow = redactThread({ timeoutMs: 1 });
    try {
      const out = await redactOffLoop(redactor, slow, ex);
      expect(out.request.body!.withheld).toMatch(/^\[REDACTED:/);
      expect(out.request.body!.unreadable?.reason).toBe('redaction timed out off the event loop (withheld: it may hold a secret)');
      expect(out.legacy.body!.withheld).toBeDefined();
      expect(out.request.body!.size).toBe(ex.request.body!.size);
      expect(stored(out)).not.toMatch(/SECRET-[0-9HC]/);
    } finally {
      await slow.close();
    }
    const broken: RedactThread = { redact: () => Promise.reject(new Error('SECRET-1 in a message')), close: async () => undefined };
    const out = await redactOffLoop(redactor, broken, ex);
    expect(out.legacy.body!.unreadable?.reason).toBe('redaction failed off the event loop (withheld: it may hold a secret)');
    expect(stored(out)).not.toMatch(/SECRET-[0-9HC]/);
  }, 30_000);
});
