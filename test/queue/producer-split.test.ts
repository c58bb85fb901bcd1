import { PartitionedQueue, ExchangeProducer, jobExchanges } from '../../src/queue';
import { isTransientRedisError, openRedis } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

describe('ExchangeProducer: a batch Redis or BullMQ refuses', () => {
  it('is split so the refused exchange alone is dropped and counted, and the rest are queued', async () => {
    const prefix = uniquePrefix('split');
    const redis = openRedis(TEST_REDIS_URL, 'producer');
    const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    await new Promise((r) => redis.once('ready', r));
    const drops: string[] = [];
    const producer = new ExchangeProducer(() => queues, {
      bufferSize: 1000,
      packSize: 4,
      lingerMs: 0,
      isConnected: () => redis.status === 'ready',
      redis: () => redis,
      onDrop: (route, reason) => drops.push(`${route}:${reason}`),
    });
    try {
      // BullMQ refuses a job id with exactly one ':' (any refusal will do): it heads the second pack.
      const ids = ['a-0', 'a-1', 'a-2', 'a-3', 'bad:id', 'a-5', 'a-6', 'a-7', 'a-8'];
      for (const id of ids) producer.enqueue(benchExchange(id, { size: '2k', differ: false }));
      expect(await producer.close(10_000)).toBe(0);
      expect(drops).toEqual(['items:queue_rejected']);
      const jobs = await queue.getJobs(['waiting']);
      const queued = jobs.flatMap((j) => jobExchanges(j.data).map((e) => e.id)).sort();
      expect(queued).toEqual(ids.filter((id) => id !== 'bad:id').sort());
    } finally {
      await queue.close();
      await redis.quit();
      await deletePrefix(prefix);
    }
  });
});

describe('isTransientRedisError: a lost connection is not a refusal', () => {
  it.each([
    'Connection is closed.',
    'CLUSTERDOWN The cluster is down',
    'TRYAGAIN Multiple keys request during rehashing of slot',
    'MOVED 3999 127.0.0.1:7004',
    "READONLY You can't write against a read only replica.",
    'Too many Cluster redirections. Last error: Error: Connection is closed.',
    'connect ECONNREFUSED 127.0.0.1:7001',
    'Command timed out',
  ])('%s: sent again later', (message) => expect(isTransientRedisError(new Error(message))).toBe(true));

  it.each([
    'ERR Error running script (call to f_1234): @user_script:1: bad',
    'Custom Id cannot contain :',
    'OOM command not allowed when used memory > maxmemory',
  ])('%s: refused', (message) => expect(isTransientRedisError(new Error(message))).toBe(false));
});
