import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import type { TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { startWorkerProcess, tempDir } from '../support/processes';
import { openTestRedis, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { startLoad, waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';
import { startQueueingIngress, stopWorkerRig, workerFaultConfig } from './helpers/worker-rig';

/** A response translator that takes 300 ms, so a worker is always mid-job when killed. */
const SLOW_TRANSLATOR = `module.exports = {
  name: 'slow-compare',
  timeoutMs: 10000,
  response: async (res) => { await new Promise((r) => setTimeout(r, 300)); return res; },
};`;

describe('fault: a worker is killed with SIGKILL mid-job', () => {
  const total = 40;
  const prefix = uniquePrefix('sigkill');
  const dir = tempDir('sigkill');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: TandemServer;
  let configFile: string;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    candidate = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    writeFileSync(join(dir.path, 'slow.js'), SLOW_TRANSLATOR);
    const config = workerFaultConfig(
      { legacy: legacy.url, candidate: candidate.url, prefix },
      {
        worker: { concurrency: 4 },
        translators: [join(dir.path, 'slow.js')],
        routes: [{ name: 'product', match: 'GET /products/:id', translator: 'slow-compare' }],
      },
    );
    // The ingress only queues; the workers are separate processes.
    ({ tandem, configFile } = await startQueueingIngress(dir.path, config));
  });

  afterAll(() => stopWorkerRig({ tandem, backends: [legacy, candidate], prefix, dir }));

  it('hands the killed worker’s jobs to another worker: every result recorded exactly once', async () => {
    const client = await startLoad(
      tandem.url,
      (i) => `/products/${i}`,
      4,
      (r) => r.status === 200,
      { total },
    ).done;
    await tandem.middleware.runtime.counters.flush();
    // Every exchange queued (several may share a packed job: a pack half done when the worker dies must not count twice).
    const producer = tandem.middleware.runtime.producer;
    await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'product'),
      (s) => s.counters.shadowed === total && producer.buffered === 0 && s.pending > 0,
      10_000,
    );

    const events = new QueueEvents('compare', { connection: { url: TEST_REDIS_URL }, prefix: `{${prefix}}` });
    const stalled = new Set<string>();
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    await events.waitUntilReady();
    const a = await startWorkerProcess(configFile);
    const beforeKill = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'product'),
      (s) => (s.counters.compared ?? 0) >= 4 && s.pending > 0,
      15_000,
      50,
    );
    a.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();

    const b = await startWorkerProcess(configFile);
    const after = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'product'),
      (s) => s.pending === 0 && s.failed === 0 && s.counters.compared === total,
      30_000,
      200,
    );
    const recoveredMs = Date.now() - killedAt;
    await events.close();

    const redis = openTestRedis();
    const doneMarkers = (await redis.keys(`{${prefix}}:done:*`)).length;
    const storedIds = await redis.zrange(`{${prefix}}:route:product:exchanges`, 0, -1);
    redis.disconnect();
    b.kill('SIGTERM');
    recordFigures('worker-sigkill', {
      sent: client.sent,
      clientFailures: client.failed,
      comparedBeforeKill: beforeKill.counters.compared,
      pendingAtKill: beforeKill.pending,
      stalledJobsRecovered: stalled.size,
      recoveredMs,
      counters: after.counters,
      doneMarkers,
      storedExchanges: storedIds.length,
      lost: total - after.counters.compared,
    });

    expect(client.failed).toBe(0);
    expect(beforeKill.counters.compared).toBeLessThan(total);
    // The jobs the killed worker held were detected as stalled and completed by the other one.
    expect(stalled.size).toBeGreaterThan(0);
    expect(after.counters.compared).toBe(total);
    expect(after.counters.match).toBe(total);
    expect(doneMarkers).toBe(total);
    expect(new Set(storedIds).size).toBe(total);
    expect(await b.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
