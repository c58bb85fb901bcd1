import { createQueue, exchangeBytes, ExchangeProducer, jobExchanges } from '../../src/queue';
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
    const queue = createQueue(redis, { prefix, name: 'compare' });
    let available = false;
    const drops: string[] = [];
    const one = exchangeBytes(benchExchange('x', { size: '20k', differ: false }));
    const producer = new ExchangeProducer(() => (available ? queue : null), {
      bufferSize: 10_000,
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
