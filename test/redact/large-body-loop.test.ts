import { performance } from 'node:perf_hooks';
import { bytesBody, type ExchangeRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { storedSecrets } from '../support/stored-secrets';
import { startBackend, type TestBackend } from '../support/backends';
import { worstLoopDelay } from '../support/loop-delay';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * The largest bodies Tandem captures by default (`capture.maxBodyBytes`, 1 MiB) are redacted
 * without stalling the proxy's event loop. A 1 MiB JSON body of ~45,000 small objects with one
 * `password` field cost the loop 290-670 ms to redact (the request, legacy's and the
 * candidate's answer: about a second per exchange on a loaded 2-core machine), every client's
 * answer waiting meanwhile. The loop is watched with `monitorEventLoopDelay` while three such
 * exchanges are shadowed and queued together (no worker in the process: what is measured is
 * the proxy and its producer): its worst delay must stay under what redacting one of them on
 * the loop costs, measured here and now (so a loaded machine raises both alike); redacted on
 * the loop, the batch of three held it about three times that.
 */
const MAX_BODY = 1 << 20;

/** JSON of `{"id":i,"name":"item-i"}` objects up to `bytes`, with one secret field among them. */
function bigJson(bytes: number, secret: string): string {
  const items: string[] = [];
  let size = 64;
  for (let i = 0; size < bytes - 64; i++) {
    const item = `{"id":${i},"name":"item-${i}"}`;
    items.push(item);
    size += item.length + 1;
  }
  items.splice(items.length >> 1, 0, `{"password":"${secret}"}`);
  return `[${items.join(',')}]`;
}

describe('a large plain JSON body', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const request = bigJson(MAX_BODY, 'SECRET-REQ-1');
  const legacyAnswer = bigJson(MAX_BODY, 'SECRET-LEG-1');
  const candidateAnswer = bigJson(MAX_BODY - 200, 'SECRET-CAN-1');
  beforeAll(async () => {
    legacy = await startBackend(() => ({ raw: legacyAnswer }));
    candidate = await startBackend(() => ({ raw: candidateAnswer }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      // The exchanges arriving together are queued (and were redacted) in one batch.
      queue: { lingerMs: 1000 },
      worker: { inProcess: false },
      routes: [{ name: 'big', match: 'POST /big/*', mirrorWrites: true }],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  /** Milliseconds redacting the exchange's three bodies takes on this thread now (median of 3). */
  const onLoopMs = () => {
    const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789', 8 * MAX_BODY, MAX_BODY);
    const json = { 'content-type': 'application/json' };
    const times = [0, 1, 2].map(() => {
      const ex: ExchangeRecord = {
        id: 'x',
        route: 'big',
        customer: 'anonymous',
        at: 0,
        requestId: 'q',
        params: {},
        request: { method: 'POST', path: '/big/1', query: {}, headers: json, body: bytesBody(Buffer.from(request)) },
        legacy: { status: 200, headers: json, body: bytesBody(Buffer.from(legacyAnswer)), durationMs: 1 },
        candidate: { status: 200, headers: json, body: bytesBody(Buffer.from(candidateAnswer)), durationMs: 1 },
      };
      const start = performance.now();
      redactor.exchange(ex);
      return performance.now() - start;
    });
    return times.sort((a, b) => a - b)[1];
  };

  it('is redacted off the proxy event loop: no stall near what redacting it on the loop costs, secrets never stored, each counted once', async () => {
    expect(Buffer.byteLength(request)).toBeLessThanOrEqual(MAX_BODY);
    // A small exchange first: fetch's lazily loaded client and the proxy's first-use paths are not measured.
    const warm = await fetch(`${t.url}/big/0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(warm.status).toBe(200);
    await warm.text();
    const { maxMs: maxStallMs } = await worstLoopDelay(async () => {
      await Promise.all(
        ['/big/1', '/big/2', '/big/3'].map(async (path) => {
          const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request });
          expect(res.status).toBe(200);
          expect((await res.text()).length).toBe(legacyAnswer.length);
        }),
      );
      const producer = t.server.middleware.runtime.producer;
      await t.waitFor(async () => (await t.counters('big')).seen === 4 && producer.buffered === 0, 60_000);
    });
    // Redacted on the loop, the batch held it 1.4-2.4 s on a loaded 2-core machine (three times
    // what one exchange takes); off it, the worst delay was 90-260 ms there (GC of the test
    // process's heap, the test's own client reading 3 MB).
    expect(maxStallMs).toBeLessThan(onLoopMs());
    // Both queued, none dropped (each will end in one comparison counter), no secret stored.
    const lag = await t.api<{ waitingExchanges: number }>('/lag');
    expect(lag.waitingExchanges).toBe(4);
    const c = await t.counters('big');
    expect(Object.keys(c).filter((k) => k.startsWith('dropped'))).toEqual([]);
    expect((await storedSecrets(t.prefix, /SECRET-(?:REQ|LEG|CAN)-1/)).found).toEqual([]);
  }, 120_000);
});
