import type { TestBackend } from '../support/backends';
import type { TestTandem } from '../support/tandem';
import { runTraffic, startLegacy, startRawServer, tandemFor, type RawServer } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';

describe('fault: slow candidate meets the in-flight cap', () => {
  const maxInFlight = 4;
  let legacy: TestBackend;
  let candidate: RawServer;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    candidate = await startRawServer(() => undefined); // never answers: every shadow request waits for its timeout
    t = await tandemFor(legacy.url, candidate.url, { candidate: { url: candidate.url, timeoutMs: 3000, maxInFlight } });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('caps concurrent shadow requests and sockets, dropping and counting the excess', async () => {
    const { client, counters } = await runTraffic(t, 60, 6);
    recordFigures('candidate-busy', {
      sent: client.sent,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      maxInFlight,
      peakCandidateSockets: candidate.peakConnections,
      counters,
    });

    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(60);
    expect(candidate.peakConnections).toBeLessThanOrEqual(maxInFlight);
    expect(counters.shadowed).toBeGreaterThanOrEqual(maxInFlight);
    expect(counters['dropped:candidate_busy']).toBeGreaterThan(0);
    expect(counters.shadowed + counters['dropped:candidate_busy']).toBe(60);
    expect(counters.compared).toBe(counters.shadowed);
    expect(counters.candidate_error).toBe(counters.shadowed);
  });
});

describe('fault: slow candidate meets the in-flight byte cap', () => {
  let legacy: TestBackend;
  let candidate: RawServer;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    candidate = await startRawServer(() => undefined); // never answers: every shadow holds its bytes until its timeout
    // legacy's bodies are 37-39 bytes, held twice (legacy's, and the candidate's to come): two fit in 200 bytes, three do not.
    t = await tandemFor(legacy.url, candidate.url, {
      candidate: { url: candidate.url, timeoutMs: 3000, maxInFlight: 64, maxInFlightBytes: 200 },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('holds no more body bytes than maxInFlightBytes, dropping and counting the excess', async () => {
    const { client, counters } = await runTraffic(t, 60, 6);
    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(60);
    expect(candidate.peakConnections).toBeLessThanOrEqual(2);
    expect(counters['dropped:candidate_busy']).toBeGreaterThan(0);
    expect(counters.shadowed + counters['dropped:candidate_busy']).toBe(60);
    expect(counters.compared).toBe(counters.shadowed);
  });
});
