import { startServer, type TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startWorkerProcess, tempDir, writeConfig } from '../support/processes';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { recordFigures } from './helpers/figures';
import { sleep, startLoad, waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';

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
    const config = {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      candidate: { url: candidate.url, timeoutMs: 1000 },
      redis: { url: TEST_REDIS_URL, prefix },
      report: { token: 'faults-token-0123456789' },
      // One job per exchange, so the backlog cap of 30 jobs is exactly 30 exchanges.
      queue: { maxBacklog: 30, packSize: 1 },
      worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    };
    configFile = writeConfig(dir.path, config);
    tandem = await startServer({ ...config, log: { level: 'silent' } }, { worker: false });
    await tandem.middleware.ready;
  });
  afterAll(async () => {
    await killAll();
    await tandem?.close();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
    dir.remove();
  });

  const state = async () => {
    await tandem.middleware.runtime.counters.flush();
    return readState(TEST_REDIS_URL, prefix, 'product');
  };

  it('serves every client, queues up to queue.maxBacklog and counts the rest as dropped:backlog_full', async () => {
    const client = await startLoad(tandem.url, (i) => `/products/${i}`, 1, (r) => r.status === 200, { total: 50, pauseMs: 5 }).done;
    const s = await waitUntil(state, (x) => x.counters.shadowed === 50 && x.pending + (x.counters['dropped:backlog_full'] ?? 0) === 50);
    recordFigures('worker-dead', { sent: client.sent, clientFailures: client.failed, maxBacklog: 30, counters: s.counters, queued: s.pending });

    expect(client.failed).toBe(0);
    expect(s.pending).toBe(30);
    expect(s.counters['dropped:backlog_full']).toBe(20);
  });

  it('once a worker runs, compares the backlog and queues new traffic again', async () => {
    const worker = await startWorkerProcess(configFile);
    await waitUntil(state, (x) => x.pending === 0 && x.counters.compared === 30, 20_000);
    await sleep(1100); // the producer re-reads the queue's depth at most every second
    await startLoad(tandem.url, (i) => `/products/after-${i}`, 1, (r) => r.status === 200, { total: 10 }).done;
    const s = await waitUntil(state, (x) => x.pending === 0 && x.counters.compared === 40, 20_000);
    worker.kill('SIGTERM');
    await worker.exited;

    expect(s.counters).toMatchObject({ seen: 60, shadowed: 60, compared: 40, match: 40, 'dropped:backlog_full': 20 });
  });
});
