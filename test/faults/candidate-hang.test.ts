import type { TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import type { TestTandem } from '../support/tandem';
import { runTraffic, startLegacy, startRawServer, tandemFor, type RawServer } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { storedExchanges, tally } from './helpers/store-state';

describe('fault: candidate hangs past the timeout', () => {
  // Far above what a client's answer takes on a loaded machine (hundreds of ms at worst), so that a client answer
  // under it says the client did not wait for the candidate (was 1.5 s).
  const timeoutMs = 4000;
  let legacy: TestBackend;
  let candidate: RawServer;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    candidate = await startRawServer(() => undefined); // reads the request, never answers
    t = await tandemFor(legacy.url, candidate.url, { candidate: { url: candidate.url, timeoutMs, maxInFlight: 64 } });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('answers clients without waiting for the candidate, and classifies each exchange as a timeout', async () => {
    const started = Date.now();
    const { client, counters } = await runTraffic(t, 40, 4);
    const kinds = tally(await storedExchanges(TEST_REDIS_URL, t.prefix, 'product'), (e) => e.candidateError?.kind);
    recordFigures('candidate-hang', {
      sent: client.sent,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      candidateTimeoutMs: timeoutMs,
      totalMs: Date.now() - started,
      counters,
      kinds,
      openSocketsAfter: candidate.connections,
    });

    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(40);
    // The shadow request starts after the client has its answer: no client waited for the timeout.
    expect(client.maxLatencyMs).toBeLessThan(timeoutMs);
    expect(counters).toMatchObject({ seen: 40, shadowed: 40, compared: 40, candidate_error: 40 });
    expect(kinds).toEqual({ timeout: 40 });
    // Timed-out sockets are destroyed, not kept open.
    await t.waitFor(async () => candidate.connections === 0, 15_000);
  });
});
