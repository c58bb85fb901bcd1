import { PartitionedQueue } from '../../src/queue';
import { openRedis, type RedisClient } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { testProducer } from '../support/producer';

/**
 * Review of issue #20 (packs of 64, maxBacklog in exchanges): a batch sent again after an
 * unclear failure (its reply lost, so it stays buffered and `guard.added` never ran) must add
 * the same job ids and count nothing twice. The retry comes at least 250 ms later, after a
 * reconnection: its guard reads the queue again, and that reading now includes the jobs the
 * first try added. A fresh producer on the same queue is exactly that retry's state.
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
    const batch = Array.from({ length: 50 }, (_, i) => ex(`r-${i}`));
    // First try: the whole batch fits (50 of 80); Redis adds it, the reply is lost.
    const first = testProducer(queues, redis, [], { packSize: 32, maxBacklog: 80 });
    for (const e of batch) first.enqueue(e);
    expect(await first.close(10_000)).toBe(0);
    const ids = (await queues.queue(0).getRanges(['waiting'], 0, -1)).sort();
    expect(ids).toEqual(['r-0+32', 'r-32+18']);
    // The retry: same buffered batch, the guard's new reading sees the first try's two jobs.
    const drops: string[] = [];
    const retry = testProducer(queues, redis, drops, { packSize: 32, maxBacklog: 80 });
    for (const e of batch) retry.enqueue(e);
    expect(await retry.close(10_000)).toBe(0);
    // Every exchange is queued exactly once (the worker compares and counts it): no new job, no drop.
    const after = (await queues.queue(0).getRanges(['waiting'], 0, -1)).sort();
    expect({ jobs: after, drops: drops.length }).toEqual({ jobs: ids, drops: 0 });
    await queues.close();
  });
});
