import { Queue } from 'bullmq';
import { killAll, startWorkerProcess, tempDir, writeConfig } from '../support/processes';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';

describe('fault: a job that can never be compared', () => {
  const prefix = uniquePrefix('jobfail');
  const dir = tempDir('jobfail');

  afterAll(async () => {
    await killAll();
    await deletePrefix(prefix);
    dir.remove();
  });

  it('fails it as unrecoverable and counts it as dropped:job_failed, not silently', async () => {
    const config = writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:9' },
      candidate: { url: 'http://127.0.0.1:9' },
      redis: { url: TEST_REDIS_URL, prefix },
      worker: { concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    const queue = new Queue('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${prefix}}` });
    // Not an exchange record: no legacy response to compare.
    await queue.add('compare', { id: 'broken-1', route: 'product' } as never, { jobId: 'broken-1', attempts: 5 });
    await queue.close();
    const worker = await startWorkerProcess(config);
    const s = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'product'),
      (x) => x.failed === 1 && x.counters['dropped:job_failed'] === 1,
      15_000,
    );
    worker.kill('SIGTERM');
    await worker.exited;
    recordFigures('job-failed', { counters: s.counters, failedJobs: s.failed, pending: s.pending });

    expect(s.counters).toEqual({ 'dropped:job_failed': 1 });
    expect(s.pending).toBe(0);
  });
});
