import { Queue } from 'bullmq';
import { storeKeys } from '../../src/store';
import { killAll, startWorkerProcess, tempDir, writeConfig } from '../support/processes';
import { deletePrefix, openTestRedis, TEST_REDIS_URL, testRedisConfig, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';
import { exchange } from '../support/exchanges';

/**
 * How long a started worker may take to settle one job: milliseconds of work, but a worker process on a loaded
 * machine (two cores, the suites and other processes beside it) can take seconds to get to it; 15 s was close.
 */
const WAIT_MS = 60_000;
jest.setTimeout(180_000);

const numbers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));

describe('fault: a job that can never be compared', () => {
  const prefix = uniquePrefix('jobfail');
  const dir = tempDir('jobfail');

  /** A worker config under `keyPrefix`: both backends unreachable (port 9), one route, short lock and stall checks. */
  const workerConfig = (keyPrefix: string) =>
    writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:9' },
      candidate: { url: 'http://127.0.0.1:9' },
      redis: { ...testRedisConfig(), prefix: keyPrefix },
      worker: { concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });

  /**
   * Runs a worker on `config` until route 'product' under `keyPrefix` has nothing pending (60 s at most), then stops
   * it and deletes `keyPrefix`: that route's state as the worker left it.
   */
  const stateWhenDone = async (config: string, keyPrefix: string) => {
    const worker = await startWorkerProcess(config);
    try {
      return await waitUntil(
        () => readState(TEST_REDIS_URL, keyPrefix, 'product'),
        (x) => x.pending === 0,
        WAIT_MS,
      );
    } finally {
      worker.kill('SIGTERM');
      await worker.exited;
      await deletePrefix(keyPrefix);
    }
  };

  afterAll(async () => {
    await killAll();
    await deletePrefix(prefix);
    dir.remove();
  });

  it('fails it as unrecoverable and counts it as dropped:job_failed, not silently', async () => {
    const config = workerConfig(prefix);
    const queue = new Queue('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${prefix}}` });
    // Not an exchange record: no legacy response to compare.
    await queue.add('compare', { id: 'broken-1', route: 'product' } as never, { jobId: 'broken-1', attempts: 5 });
    await queue.close();
    const worker = await startWorkerProcess(config);
    const s = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'product'),
      (x) => x.failed === 1 && x.counters['dropped:job_failed'] === 1,
      WAIT_MS,
    );
    worker.kill('SIGTERM');
    await worker.exited;
    recordFigures('job-failed', { counters: s.counters, failedJobs: s.failed, pending: s.pending });

    expect(s.counters).toEqual({ 'dropped:job_failed': 1 });
    expect(s.pending).toBe(0);
  });

  it('completes a job sent again whose exchanges were already recorded and whose body parts are gone', async () => {
    const again = uniquePrefix('jobagain');
    const config = workerConfig(again);
    // What a batch re-sent after a lost reply leaves: the first run recorded both exchanges (done
    // markers) and removed the parts; the same job is added again and points at parts now gone.
    const redis = openTestRedis();
    const keys = storeKeys(again);
    const exchange = (id: string) => ({
      id,
      route: 'product',
      at: Date.now(),
      request: { method: 'GET', path: `/products/${id}`, query: {}, headers: {}, body: null },
      legacy: { status: 200, headers: {}, body: { part: 0, encoding: 'utf8', size: 2 }, durationMs: 1 },
      candidate: { status: 200, headers: {}, body: { part: 1, encoding: 'utf8', size: 2 }, durationMs: 1 },
    });
    for (const id of ['again-1', 'again-2']) await redis.set(keys.done(id), '1', 'EX', 60);
    await redis.quit();
    const queue = new Queue('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${again}}` });
    await queue.add('compare', { exchanges: [exchange('again-1'), exchange('again-2')], bodies: `{${again}}:gone-parts` } as never, {
      jobId: 'again-1+2',
      attempts: 5,
    });
    await queue.close();
    const s = await stateWhenDone(config, again);
    expect({ failed: s.failed, counters: s.counters }).toEqual({ failed: 0, counters: {} });
  });
  it('counts once the exchanges of a pack whose record Redis refused part way (a key of the wrong type)', async () => {
    const refused = uniquePrefix('jobrefused');
    const config = workerConfig(refused);
    // The route's readiness window, pushed at the end of each pack, is not a list: the record script fails after the
    // exchanges' counts. It once failed after their done markers and before their counts: counted nowhere, ever.
    const redis = openTestRedis();
    await redis.set(storeKeys(refused).readiness('product'), 'not a list');
    await redis.quit();
    const at = Date.now() - 3_600_000; // past the noise warm-up
    const exchanges = ['ref-1', 'ref-2', 'ref-3'].map((id, i) => exchange(id, { price: i }, { price: i }, { at: at + i }));
    const queue = new Queue('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${refused}}` });
    await queue.add('compare', { exchanges } as never, { jobId: 'ref-1+3', attempts: 2 });
    await queue.close();
    const s = await stateWhenDone(config, refused);
    expect({ failed: s.failed, counters: s.counters }).toEqual({ failed: 0, counters: { compared: 3, match: 3 } });
  });
  it("counts a failed job's exchanges once Redis takes the count, when it refused it at first", async () => {
    const later = uniquePrefix('jobcountlater');
    const config = workerConfig(later);
    // The route's counters are not a hash: Redis refuses the job's drop count (as it refuses any write while
    // over maxmemory, or a lost connection loses it). The count was once tried once and forgotten.
    const redis = openTestRedis();
    const counters = storeKeys(later).counters('product');
    await redis.set(counters, 'not a hash');
    const queue = new Queue('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${later}}` });
    await queue.add('compare', { id: 'broken-2', route: 'product' } as never, { jobId: 'broken-2', attempts: 5 });
    const worker = await startWorkerProcess(config);
    try {
      await waitUntil(
        () => queue.getJobCounts('failed'),
        (c) => c.failed === 1,
        WAIT_MS,
      );
      // The worker tries the count as soon as the job fails (within milliseconds): a second is far past it.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await redis.get(counters)).toBe('not a hash');
      await redis.del(counters);
      const counted = await waitUntil(
        async () => numbers(await redis.hgetall(counters)),
        (c) => c['dropped:job_failed'] === 1,
        WAIT_MS,
      );
      expect(counted).toEqual({ 'dropped:job_failed': 1 });
      // Sent until taken, and counted once: the retries after it add nothing.
      await new Promise((r) => setTimeout(r, 1500));
      expect(numbers(await redis.hgetall(counters))).toEqual({ 'dropped:job_failed': 1 });
    } finally {
      worker.kill('SIGTERM');
      await worker.exited;
      await queue.close();
      await redis.quit();
      await deletePrefix(later);
    }
  });
});
