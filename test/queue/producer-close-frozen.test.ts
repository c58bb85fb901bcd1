import { PartitionedQueue } from '../../src/queue';
import { openRedis } from '../../src/store';
import { exchange } from '../support/exchanges';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { testProducer } from '../support/producer';

/**
 * Review (review1): `closeDeadlines` (create-runtime.ts) gives the producer's flush 5 s and
 * `runtimeCloseMs` / the `--processes` primary's kill deadline add it up as if it were a
 * bound, but `ExchangeProducer.close(timeoutMs)` checks its deadline only between sends and
 * awaits the send under way, and the runtime does not wrap it in a `closeStep`. A Redis that
 * does not answer (frozen, a partition: the connection stays up) holds the send, so the
 * close, and the whole runtime close after it, never ends.
 *
 * review1-fix: an exchange whose add was sent and not answered by the deadline is not
 * counted `dropped:closed` (the add may land, and the worker count it): it is reported as
 * in flight (`inFlightAtClose`); only what was never sent is counted `closed`.
 */
describe('ExchangeProducer.close on a Redis that does not answer', () => {
  let server: RedisProcess;
  beforeAll(async () => void (server = await startRedisProcess()));
  afterAll(async () => {
    server.child.proc.kill('SIGCONT');
    await server.remove();
  });

  it('ends within its deadline, counting what it could not queue and not what may still land', async () => {
    const redis = openRedis(server.url, 'producer');
    redis.on('error', () => undefined);
    await new Promise((r) => redis.once('ready', r));
    const queues = new PartitionedQueue(redis, { prefix: 'frozen', name: 'compare', partitions: 1, spread: 'route' });
    const drops: string[] = [];
    const producer = testProducer(queues, redis, drops, { batchSize: 1 });
    try {
      server.child.proc.kill('SIGSTOP');
      // f-1 is sent (one exchange per batch) and never answered; f-2 waits behind it.
      producer.enqueue(exchange('f-1', { a: 1 }, { a: 1 }, { route: 'items' }));
      producer.enqueue(exchange('f-2', { a: 1 }, { a: 1 }, { route: 'items' }));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        producer.close(500).then((lost) => ({ lost, inFlight: producer.inFlightAtClose })),
        new Promise<'still closing'>((r) => (timer = setTimeout(() => r('still closing'), 5000))),
      ]);
      clearTimeout(timer);
      // f-2 was never sent: dropped:closed. f-1's add may still land: not counted, reported as in flight.
      expect(outcome).toEqual({ lost: 1, inFlight: 1 });
      expect(drops).toEqual(['items:closed']);
      // It does land once Redis answers again (then the worker counts it): counted dropped too, it would count twice.
      server.child.proc.kill('SIGCONT');
      const queue = queues.queue(0);
      for (let i = 0; i < 100 && (await queue.getJobCounts('waiting')).waiting === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      expect(drops).toEqual(['items:closed']);
    } finally {
      server.child.proc.kill('SIGCONT');
      redis.disconnect();
      await queues.close().catch(() => undefined);
    }
  }, 20_000);
});
