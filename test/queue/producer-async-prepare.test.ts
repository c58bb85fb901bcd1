import { PartitionedQueue, ExchangeProducer, jobExchanges } from '../../src/queue';
import { openRedis } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * `prepare` may answer later (a large exchange redacted on a thread): its batch waits for it,
 * the exchanges keep their order in the job, and one whose promise rejects is dropped and
 * counted once (`redact_error`), never sent as it was.
 */
describe('ExchangeProducer with a prepare that answers later', () => {
  it('queues what resolves in order, and counts what rejects as redact_error', async () => {
    const prefix = uniquePrefix('async-prepare');
    const redis = openRedis(TEST_REDIS_URL, 'producer');
    const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    const drops: string[] = [];
    await new Promise((r) => redis.once('ready', r));
    const producer = new ExchangeProducer(() => queues, {
      bufferSize: 100,
      packSize: 16,
      lingerMs: 50,
      isConnected: () => redis.status === 'ready',
      redis: () => redis,
      onDrop: (route, reason) => drops.push(`${route}:${reason}`),
      prepare: (ex) => {
        const out = { ...ex, customer: 'prepared' };
        if (ex.id === 'ex-1') return new Promise((r) => setTimeout(() => r(out), 100));
        if (ex.id === 'ex-2') return Promise.reject(new Error('thread failed'));
        if (ex.id === 'ex-3') throw new Error('too deep');
        return out;
      },
    });
    try {
      for (let i = 0; i < 5; i++) producer.enqueue(benchExchange(`ex-${i}`, { size: '2k', differ: false }));
      expect(await producer.close()).toBe(0);
      expect(drops.sort()).toEqual(['items:redact_error', 'items:redact_error']);
      const [job] = await queue.getJobs(['waiting']);
      const queued = jobExchanges(job.data);
      expect(queued.map((e) => e.id)).toEqual(['ex-0', 'ex-1', 'ex-4']);
      expect(queued.every((e) => e.customer === 'prepared')).toBe(true);
    } finally {
      await queue.close();
      await redis.quit();
      await deletePrefix(prefix);
    }
  });
});
