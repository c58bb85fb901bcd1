import { PartitionedQueue, jobExchanges } from '../../src/queue';
import { isTransientRedisError, openRedis } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { testProducer } from '../support/producer';

/**
 * A producer (`testProducer`, `options` over it) on a fresh prefix of the test Redis, one partition: its
 * connection, the partition's queue, the drops it counted, and `close` (queue, connection, keys).
 */
async function splitRig(name: string, options: Parameters<typeof testProducer>[3] = {}) {
  const prefix = uniquePrefix(name);
  const redis = openRedis(TEST_REDIS_URL, 'producer');
  const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
  const queue = queues.queue(0);
  await new Promise((r) => redis.once('ready', r));
  const drops: string[] = [];
  const producer = testProducer(queues, redis, drops, options);
  const close = async () => {
    await queue.close();
    await redis.quit();
    await deletePrefix(prefix);
  };
  return { redis, queue, drops, producer, close };
}

describe('ExchangeProducer: a batch Redis or BullMQ refuses', () => {
  it('is split so the refused exchange alone is dropped and counted, and the rest are queued', async () => {
    const { queue, drops, producer, close } = await splitRig('split');
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
      await close();
    }
  });
});

describe('ExchangeProducer: a batch refused after part of it was queued', () => {
  let server: RedisProcess;
  beforeAll(async () => void (server = await startRedisProcess(['--maxmemory-policy', 'noeviction'])));
  afterAll(() => server?.remove());

  it('counts as queue_rejected only the exchanges no job carries', async () => {
    const redis = openRedis(server.url, 'producer');
    await new Promise((r) => redis.once('ready', r));
    const queues = new PartitionedQueue(redis, { prefix: 'refusedlater', name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    const drops: string[] = [];
    const producer = () => testProducer(queues, redis, drops);
    const ids = ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6', 'a-7'];
    try {
      // The batch's first pack is queued: by an earlier send of the same exchanges whose reply was lost, or by this
      // send itself when Redis crosses its maxmemory between the batch's jobs (they are added one by one).
      const first = producer();
      for (const id of ids.slice(0, 4)) first.enqueue(benchExchange(id, { size: '2k', differ: false }));
      expect(await first.close(10_000)).toBe(0);
      // Now Redis refuses every write: adding the queued pack again (BullMQ writes a 'duplicated' event) too.
      await redis.config('SET', 'maxmemory', '1');
      const again = producer();
      for (const id of ids) again.enqueue(benchExchange(id, { size: '2k', differ: false }));
      expect(await again.close(10_000)).toBe(0);
      await redis.config('SET', 'maxmemory', '0');
      const queued = (await queue.getJobs(['waiting'])).flatMap((j) => jobExchanges(j.data).map((e) => e.id)).sort();
      expect(queued).toEqual(ids.slice(0, 4));
      // Counted once each: the four queued are compared (and counted) by the worker, the four others dropped.
      // (They were all counted dropped, the first four twice.)
      expect(drops).toEqual(Array(4).fill('items:queue_rejected'));
    } finally {
      await queue.close();
      await redis.quit();
    }
  });
});

describe('ExchangeProducer: jobs refused by a key of the wrong type where their data goes', () => {
  it('counts the exchanges as queue_rejected: such a key is not a job that carries them', async () => {
    const { redis, queue, drops, producer, close } = await splitRig('splitplanted', { packSize: 2 });
    try {
      // The second pack's job and its exchanges' own jobs: strings where BullMQ keeps a job's hash (it refuses them).
      for (const id of ['b-2+2', 'b-2', 'b-3']) await redis.set(queue.toKey(id), 'not a job');
      const ids = ['b-0', 'b-1', 'b-2', 'b-3', 'b-4'];
      for (const id of ids) producer.enqueue(benchExchange(id, { size: '2k', differ: false }));
      expect(await producer.close(10_000)).toBe(0);
      expect(drops).toEqual(['items:queue_rejected', 'items:queue_rejected']);
      const queued = (await queue.getJobs(['waiting'])).flatMap((j) => jobExchanges(j.data).map((e) => e.id)).sort();
      expect(queued).toEqual(['b-0', 'b-1', 'b-4']);
    } finally {
      await close();
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
