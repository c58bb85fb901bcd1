import { ExchangeProducer, PartitionedQueue } from '../../src/queue';
import { openRedis } from '../../src/store';
import { exchange } from '../support/exchanges';
import { startRedisProcess, type RedisProcess } from '../support/processes';

/**
 * Review (review1): `closeDeadlines` (create-runtime.ts) gives the producer's flush 5 s and
 * `runtimeCloseMs` / the `--processes` primary's kill deadline add it up as if it were a
 * bound, but `ExchangeProducer.close(timeoutMs)` checks its deadline only between sends and
 * awaits the send under way, and the runtime does not wrap it in a `closeStep`. A Redis that
 * does not answer (frozen, a partition: the connection stays up) holds the send, so the
 * close, and the whole runtime close after it, never ends.
 */
describe('ExchangeProducer.close on a Redis that does not answer', () => {
  let server: RedisProcess;
  beforeAll(async () => void (server = await startRedisProcess()));
  afterAll(async () => {
    server.child.proc.kill('SIGCONT');
    await server.remove();
  });

  it('ends within its deadline, counting what it could not queue', async () => {
    const redis = openRedis(server.url, 'producer');
    redis.on('error', () => undefined);
    await new Promise((r) => redis.once('ready', r));
    const queues = new PartitionedQueue(redis, { prefix: 'frozen', name: 'compare', partitions: 1, spread: 'route' });
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
      server.child.proc.kill('SIGSTOP');
      producer.enqueue(exchange('f-1', { a: 1 }, { a: 1 }, { route: 'items' }));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        producer.close(500).then((lost) => ({ lost })),
        new Promise<'still closing'>((r) => (timer = setTimeout(() => r('still closing'), 5000))),
      ]);
      clearTimeout(timer);
      expect(outcome).toEqual({ lost: 1 });
      expect(drops).toEqual(['items:closed']);
    } finally {
      server.child.proc.kill('SIGCONT');
      redis.disconnect();
      await queues.close().catch(() => undefined);
    }
  }, 20_000);
});
