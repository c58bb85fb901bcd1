import type { TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { settle } from '../support/settle';
import { startWorkerProcess, tempDir } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { sleep, startLoad, waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';
import { startQueueingIngress, stopWorkerRig, workerFaultConfig } from './helpers/worker-rig';

describe('fault: no worker running (dead or not started)', () => {
  const prefix = uniquePrefix('noworker');
  const dir = tempDir('noworker');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: TandemServer;
  let configFile: string;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { id: r.url } }));
    candidate = await startBackend((r) => ({ body: { id: r.url } }));
    const config = workerFaultConfig(
      { legacy: legacy.url, candidate: candidate.url, prefix },
      {
        // One job per exchange, so the backlog cap of 30 jobs is exactly 30 exchanges.
        queue: { maxBacklog: 30, packSize: 1 },
        worker: { concurrency: 4 },
        routes: [{ name: 'product', match: 'GET /products/:id' }],
      },
    );
    ({ tandem, configFile } = await startQueueingIngress(dir.path, config));
  });
  afterAll(() => stopWorkerRig({ tandem, backends: [legacy, candidate], prefix, dir }));

  const state = async () => {
    // Before the counters are read, every shadow copy still waiting for the candidate is counted.
    await settle(tandem.middleware.runtime);
    return readState(TEST_REDIS_URL, prefix, 'product');
  };

  it('serves every client, queues up to queue.maxBacklog and counts the rest as dropped:backlog_full', async () => {
    const client = await startLoad(
      tandem.url,
      (i) => `/products/${i}`,
      1,
      (r) => r.status === 200,
      { total: 50, pauseMs: 5 },
    ).done;
    const s = await waitUntil(state, (x) => x.counters.shadowed === 50 && x.pending + (x.counters['dropped:backlog_full'] ?? 0) === 50);
    recordFigures('worker-dead', {
      sent: client.sent,
      clientFailures: client.failed,
      maxBacklog: 30,
      counters: s.counters,
      queued: s.pending,
    });

    expect(client.failed).toBe(0);
    expect(s.pending).toBe(30);
    expect(s.counters['dropped:backlog_full']).toBe(20);
  });

  it('once a worker runs, compares the backlog and queues new traffic again', async () => {
    const worker = await startWorkerProcess(configFile);
    await waitUntil(state, (x) => x.pending === 0 && x.counters.compared === 30, 20_000);
    await sleep(1100); // the producer re-reads the queue's depth at most every second
    await startLoad(
      tandem.url,
      (i) => `/products/after-${i}`,
      1,
      (r) => r.status === 200,
      { total: 10 },
    ).done;
    const s = await waitUntil(state, (x) => x.pending === 0 && x.counters.compared === 40, 20_000);
    worker.kill('SIGTERM');
    await worker.exited;

    expect(s.counters).toMatchObject({ seen: 60, shadowed: 60, compared: 40, match: 40, 'dropped:backlog_full': 20 });
  });
});
