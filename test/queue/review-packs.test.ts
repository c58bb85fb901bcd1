import { PartitionedQueue } from '../../src/queue';
import { openRedis, type RedisClient } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { testProducer } from '../support/producer';

/**
 * Review of issue #20 (packs of 64, a backlog cap in exchanges): a batch sent again after an
 * unclear failure (its reply lost, so it stays buffered and the guard never counted it) must
 * add the same job ids and count nothing twice. The retry comes after the guard's next
 * reading, which already counts the jobs the first try added: it must not cut the batch
 * again by it. The reply is lost for real: the jobs are added to Redis, then the add fails
 * as a lost connection does (`Connection is closed.`), after the guard's reading has aged.
 */
describe('review-packs: a re-sent batch under the backlog cap', () => {
  let redis: RedisClient;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = openRedis(TEST_REDIS_URL, 'producer');
    await new Promise((r) => redis.once('ready', r));
  });
  afterAll(async () => {
    await redis.quit();
    for (const p of prefixes) await deletePrefix(p);
  });

  const fresh = (name: string) => {
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    return prefix;
  };
  const ex = (id: string) => benchExchange(id, { size: '2k', differ: false });

  it('adds no job twice and counts no queued exchange as backlog_full when the batch is sent again after a lost reply', async () => {
    const queues = new PartitionedQueue(redis, { prefix: fresh('resend'), name: 'compare', partitions: 1, spread: 'route', packSize: 32 });
    const queue = queues.queue(0);
    const add = queue.add.bind(queue);
    // The first try's two jobs reach Redis; their replies are lost once the guard's reading (1 s) has aged.
    let lost = 0;
    queue.add = (async (...args: Parameters<typeof add>) => {
      const job = await add(...args);
      if (lost >= 2) return job;
      lost++;
      await new Promise((r) => setTimeout(r, 1500));
      throw new Error('Connection is closed.');
    }) as typeof queue.add;
    const drops: string[] = [];
    // The whole batch fits (50 of 80); the retry's new reading would see 64 of 80 (two jobs of up to 32).
    const producer = testProducer(queues, redis, drops, { packSize: 32, maxBacklog: 80, maxBacklogExchanges: 80 });
    for (let i = 0; i < 50; i++) producer.enqueue(ex(`r-${i}`));
    expect(await producer.close(10_000)).toBe(0);
    expect(lost).toBe(2);
    // Every exchange is queued exactly once (the worker compares and counts it): no new job, no drop.
    const after = (await queue.getRanges(['waiting'], 0, -1)).sort();
    expect({ jobs: after, drops: drops.length }).toEqual({ jobs: ['r-0+32', 'r-32+18'], drops: 0 });
    await queues.close();
  });
});
