import type { TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import type { TestTandem } from '../support/tandem';
import { freePort } from '../support/processes';
import { runTraffic, startLegacy, tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { storedExchanges, tally } from './helpers/store-state';

describe('fault: candidate refuses connections', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    // A port nothing listens on: every connection is refused.
    t = await tandemFor(legacy.url, `http://127.0.0.1:${await freePort()}`);
  });
  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it("serves legacy's bytes to every client and classifies each exchange as a connect error", async () => {
    const { client, counters } = await runTraffic(t, 60, 4);
    const kinds = tally(await storedExchanges(TEST_REDIS_URL, t.prefix, 'product'), (e) => e.candidateError?.kind);
    recordFigures('candidate-refused', {
      sent: client.sent,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      counters,
      kinds,
    });

    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(60);
    expect(counters).toMatchObject({ seen: 60, shadowed: 60, compared: 60, candidate_error: 60 });
    expect(kinds).toEqual({ connect: 60 });
  });
});
