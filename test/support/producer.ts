import { ExchangeProducer, type PartitionedQueue, type ProducerOptions } from '../../src/queue';
import { openRedis, type RedisClient } from '../../src/store';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './redis';

/**
 * A queue suite's Redis: a producer connection to the test Redis, open (and ready) for the
 * suite, and `fresh(name)` giving a new key prefix; the connection is closed and every
 * prefix given deleted after the suite.
 *
 * @example
 * const q = useQueueRedis();
 * it('…', async () => { const queues = new PartitionedQueue(q.redis, { prefix: q.fresh('x'), ... }); });
 */
export function useQueueRedis(): { readonly redis: RedisClient; fresh(name: string): string } {
  let redis: RedisClient | undefined;
  const prefixes: string[] = [];
  beforeAll(async () => {
    redis = openRedis(TEST_REDIS_URL, 'producer');
    await new Promise((r) => redis!.once('ready', r));
  });
  afterAll(async () => {
    await redis?.quit();
    for (const p of prefixes) await deletePrefix(p);
  });
  return {
    get redis(): RedisClient {
      if (!redis) throw new Error('useQueueRedis: the Redis opens in beforeAll; read it inside a test');
      return redis;
    },
    fresh(name: string): string {
      const prefix = uniquePrefix(name);
      prefixes.push(prefix);
      return prefix;
    },
  };
}

/**
 * An `ExchangeProducer` on `queues` as the queue suites drive it: buffer 1000, packs of
 * `packSize` (default 4), no linger, connected while `redis` is ready, and every drop pushed
 * to `drops` as `route:reason` (e.g. `items:queue_rejected`). `options` overrides the rest
 * (e.g. `{ batchSize: 1 }`).
 *
 * @example
 * const drops: string[] = [];
 * const producer = testProducer(queues, redis, drops, { packSize: 2 });
 * producer.enqueue(ex);
 * await producer.close(10_000); // 0: nothing lost at close
 */
export function testProducer(
  queues: PartitionedQueue,
  redis: RedisClient,
  drops: string[],
  options: Partial<ProducerOptions> = {},
): ExchangeProducer {
  return new ExchangeProducer(() => queues, {
    bufferSize: 1000,
    packSize: 4,
    lingerMs: 0,
    isConnected: () => redis.status === 'ready',
    redis: () => redis,
    onDrop: (route, reason) => drops.push(`${route}:${reason}`),
    ...options,
  });
}
