import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { describeLag } from '../../src/metrics';
import { exchangesInJob } from '../../src/queue';

jest.setTimeout(60_000);

/**
 * The lag counts exchanges, not jobs (issue 18 #5): with no worker, 20 exchanges packed
 * into fewer jobs are 20 exchanges waiting in `/api/lag`, counted from the job ids alone.
 */
describe('lag in exchanges', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      worker: { inProcess: false },
      queue: { lingerMs: 300 }, // exchanges arriving together share a job (up to 16 each)
      routes: [{ name: 'thing', match: 'GET /things/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('answers waitingExchanges beside the job count, and the message counts exchanges', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => request(`${t.url}/things/${i}`)));
    const lag = await t.waitFor(async () => {
      const l = await t.api<{ waiting: number; waitingExchanges: number; delayedExchanges: number; lagSeconds: number; message: string }>(
        '/lag',
      );
      return l.waitingExchanges === 20 && l.lagSeconds >= 1.5 && l;
    }, 20_000);
    expect(lag.waiting).toBeLessThan(20); // packed: fewer jobs than exchanges
    expect(lag.delayedExchanges).toBe(0);
    expect(lag.message).toMatch(/\(20 exchanges waiting\)/);
  });

  it('reads a pack size from the job id, and says why results are behind when no worker takes jobs', () => {
    expect(exchangesInJob('lx3k-9f2e1c4a-0000-4000-8000-000000000000+16')).toBe(16);
    expect(exchangesInJob('lx3k-9f2e1c4a-0000-4000-8000-000000000000')).toBe(1);
    expect(describeLag({ waiting: 2, waitingExchanges: 20, active: 0, lagSeconds: 40 })).toBe(
      'results are 40 seconds behind (20 exchanges waiting); no worker has taken a job for 40 seconds: is `tandem worker` running (or worker.inProcess on)?',
    );
    expect(describeLag({ waiting: 0, lagSeconds: 0, delayed: 1, delayedExchanges: 16 })).toBe(
      'results are not complete: 16 exchanges in delayed jobs (retries or the noise warm-up)',
    );
  });
});
