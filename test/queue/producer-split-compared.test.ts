import { Worker } from 'bullmq';
import { jobExchanges, PartitionedQueue, type CompareJobData } from '../../src/queue';
import { openRedis, ResultsStore, storeKeys } from '../../src/store';
import { processExchange } from '../../src/worker';
import { exchange, processDeps, RETENTION } from '../support/exchanges';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { testProducer } from '../support/producer';

/**
 * Review (review1): `ExchangeProducer.notQueued` (addSplit) takes an exchange as queued
 * only while a job hash carries it. A job already compared is gone (removeOnComplete), but
 * its exchanges are counted (a result class, their done markers set). When the batch is
 * sent again (an earlier send's reply was lost, the producer's own retry) and Redis now
 * refuses it, those exchanges are counted `dropped:queue_rejected` as well: two counters.
 */
describe('ExchangeProducer: a refused batch whose pack was already compared', () => {
  let server: RedisProcess;
  beforeAll(async () => void (server = await startRedisProcess(['--maxmemory-policy', 'noeviction'])));
  afterAll(() => server?.remove());

  it('does not count as queue_rejected an exchange the worker already counted', async () => {
    const prefix = 'compared';
    const redis = openRedis(server.url, 'producer');
    const client = openRedis(server.url, 'client');
    const workerConnection = openRedis(server.url, 'worker');
    await Promise.all([redis, client].map((r) => new Promise((ok) => r.once('ready', ok))));
    const store = new ResultsStore(client, prefix, RETENTION);
    const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    const drops: string[] = [];
    const producer = () => testProducer(queues, redis, drops);
    const ids = ['c-0', 'c-1', 'c-2', 'c-3'];
    const sent = () => ids.map((id) => exchange(id, { a: 1 }, { a: 1 }, { route: 'items' }));
    // Records each exchange as the comparison worker does (one counter per exchange, its done marker set).
    let done!: () => void;
    const compared = new Promise<void>((r) => (done = r));
    const worker = new Worker<CompareJobData>(
      'compare',
      async (job) => {
        for (const ex of jobExchanges(job.data)) {
          const out = await processExchange(
            sent().find((e) => e.id === ex.id)!,
            processDeps(),
          );
          await store.record(ex, out.result, out);
        }
        return 1;
      },
      { connection: workerConnection, prefix: storeKeys(prefix).queueTag(0) },
    );
    worker.on('completed', () => done());
    try {
      // The first send: queued, compared, and (removeOnComplete) removed.
      const first = producer();
      for (const ex of sent()) first.enqueue(ex);
      expect(await first.close(10_000)).toBe(0);
      await compared;
      await worker.close();
      expect((await store.counters(['items'])).items).toEqual({ compared: 4, match: 4 });
      expect(await queue.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 0 });
      // The same exchanges sent again (the first send's reply was lost) while Redis refuses writes.
      await client.config('SET', 'maxmemory', '1');
      const again = producer();
      for (const ex of sent()) again.enqueue(ex);
      expect(await again.close(10_000)).toBe(0);
      await client.config('SET', 'maxmemory', '0');
      // Each exchange ends in one counter: the result class the worker counted.
      expect(drops).toEqual([]);
    } finally {
      await worker.close();
      await queue.close();
      await Promise.all([redis, client, workerConnection].map((r) => r.quit()));
    }
  });
});
