import { PartitionedQueue, exchangeBytes, ExchangeProducer, jobExchanges } from '../../src/queue';
import { openRedis } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

describe('ExchangeProducer memory bound', () => {
  it('estimates an exchange by its bodies plus a fixed allowance', () => {
    const ex = benchExchange('a', { size: '20k', differ: false });
    expect(ex.legacy.body!.size).toBeGreaterThan(19_000);
    expect(exchangeBytes(ex)).toBe(2048 + 2 * ex.legacy.body!.size);
  });

  it('drops and counts exchanges beyond the byte bound while Redis is not there, then queues the rest', async () => {
    const prefix = uniquePrefix('producer');
    const redis = openRedis(TEST_REDIS_URL, 'producer');
    const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    let available = false;
    const drops: string[] = [];
    const one = exchangeBytes(benchExchange('x', { size: '20k', differ: false }));
    const producer = new ExchangeProducer(() => (available ? queues : null), {
      bufferSize: 10_000,
      packSize: 16,
      lingerMs: 0,
      maxBufferBytes: 3 * one,
      isConnected: () => redis.status === 'ready',
      redis: () => redis,
      onDrop: (route, reason) => drops.push(`${route}:${reason}`),
    });
    try {
      for (let i = 0; i < 5; i++) producer.enqueue(benchExchange(`ex-${i}`, { size: '20k', differ: false }));
      expect(producer.buffered).toBe(3);
      expect(drops).toEqual(['items:buffer_full', 'items:buffer_full']);
      available = true;
      expect(await producer.close()).toBe(0);
      // The three waiting exchanges go to Redis as one packed job.
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      expect(jobExchanges((await queue.getJob('ex-0+3'))?.data).map((e) => e.id)).toEqual(['ex-0', 'ex-1', 'ex-2']);
    } finally {
      await queue.close();
      await redis.quit();
      await deletePrefix(prefix);
    }
  });
});

/**
 * Long enough that each check below is far from the moment it tells apart (a loaded machine delays timers
 * and Redis round trips by hundreds of ms): was 400 ms, with a pack sent "at once" bounded to 200 ms.
 */
const LINGER_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ExchangeProducer linger', () => {
  it('holds a short batch up to lingerMs so exchanges share a job, and sends a full pack at once', async () => {
    const prefix = uniquePrefix('linger');
    const redis = openRedis(TEST_REDIS_URL, 'producer');
    const queues = new PartitionedQueue(redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    await new Promise((r) => redis.once('ready', r));
    const producer = new ExchangeProducer(() => queues, {
      bufferSize: 1000,
      packSize: 4,
      lingerMs: LINGER_MS,
      isConnected: () => redis.status === 'ready',
      redis: () => redis,
      onDrop: () => undefined,
    });
    const waiting = async () => (await queue.getJobCounts('waiting')).waiting;
    try {
      producer.enqueue(benchExchange('a-0', { size: '2k', differ: false }));
      producer.enqueue(benchExchange('a-1', { size: '2k', differ: false }));
      await sleep(150);
      expect(producer.buffered).toBe(2);
      expect(await waiting()).toBe(0);
      // Two more fill the pack of 4: it goes without waiting for the rest of the linger.
      producer.enqueue(benchExchange('a-2', { size: '2k', differ: false }));
      producer.enqueue(benchExchange('a-3', { size: '2k', differ: false }));
      const sentAt = Date.now();
      while ((await waiting()) === 0 && Date.now() - sentAt < 10_000) await sleep(10);
      expect(Date.now() - sentAt).toBeLessThan(LINGER_MS / 2);
      expect(jobExchanges((await queue.getJob('a-0+4'))?.data).map((e) => e.id)).toEqual(['a-0', 'a-1', 'a-2', 'a-3']);
      // A lone exchange goes once the linger is over, not before (a timer may fire a few ms early by Date.now()).
      const loneAt = Date.now();
      producer.enqueue(benchExchange('b-0', { size: '2k', differ: false }));
      while ((await waiting()) === 1 && Date.now() - loneAt < 10_000 + LINGER_MS) await sleep(10);
      expect(Date.now() - loneAt).toBeGreaterThanOrEqual(LINGER_MS * 0.9);
      expect(await waiting()).toBe(2);
    } finally {
      await producer.close();
      await queue.close();
      await redis.quit();
      await deletePrefix(prefix);
    }
  });
});
