import { monitorEventLoopDelay } from 'node:perf_hooks';
import { storedSecrets } from '../support/stored-secrets';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * The largest bodies Tandem captures by default (`capture.maxBodyBytes`, 1 MiB) are redacted
 * without stalling the proxy's event loop. A 1 MiB JSON body of ~45,000 small objects with one
 * `password` field cost the loop 290-670 ms to redact (the request, legacy's and the
 * candidate's answer: about a second per exchange on a loaded 2-core machine), every client's
 * answer waiting meanwhile. The loop is watched with `monitorEventLoopDelay` while two such
 * exchanges are shadowed and queued (no worker in the process: what is measured is the proxy
 * and its producer): its worst delay must stay far below the cost of redacting one of those
 * bodies on it (a generous bound, well clear of a loaded machine's noise).
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
      queue: { lingerMs: 0 },
      worker: { inProcess: false },
      routes: [{ name: 'big', match: 'POST /big/*', mirrorWrites: true }],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('is redacted off the proxy event loop: no stall near what redacting it on the loop costs, secrets never stored, each counted once', async () => {
    expect(Buffer.byteLength(request)).toBeLessThanOrEqual(MAX_BODY);
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    for (const path of ['/big/1', '/big/2']) {
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request });
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBe(legacyAnswer.length);
    }
    const producer = t.server.middleware.runtime.producer;
    await t.waitFor(async () => (await t.counters('big')).seen === 2 && producer.buffered === 0, 60_000);
    h.disable();
    // Redacted on the loop, each exchange held it 0.6-2 s on this machine; off it, copying the
    // bodies to and from the redaction thread and queueing them costs milliseconds.
    const maxStallMs = h.max / 1e6;
    expect(maxStallMs).toBeLessThan(250);
    // Both queued, none dropped (each will end in one comparison counter), no secret stored.
    const lag = await t.api<{ waitingExchanges: number }>('/lag');
    expect(lag.waitingExchanges).toBe(2);
    const c = await t.counters('big');
    expect(Object.keys(c).filter((k) => k.startsWith('dropped'))).toEqual([]);
    expect((await storedSecrets(t.prefix, /SECRET-(?:REQ|LEG|CAN)-1/)).found).toEqual([]);
  }, 120_000);
});
