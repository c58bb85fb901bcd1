import { ExchangeProducer, type PartitionedQueue, type ProducerOptions } from '../../src/queue';
import type { RedisClient } from '../../src/store';

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
