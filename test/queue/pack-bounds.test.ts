import { exchangeBytes, exchangesInJob, PartitionedQueue } from '../../src/queue';
import { PACK_BYTES } from '../../src/queue/job-data';
import { bytesBody, type ExchangeRecord } from '../../src/records';
import { benchExchange } from '../../bench/exchanges';
import { testProducer, useQueueRedis } from '../support/producer';

/**
 * What a pack may hold, however large `queue.packSize` (issue #20): what waits is bounded in
 * jobs (`queue.maxBacklog`) and in exchanges (`queue.maxBacklogExchanges`), both applying; a
 * pack stops at `PACK_BYTES`; the failed jobs kept hold as many exchanges as 1000 jobs of 16
 * did. Real Redis, no worker: what waits is read back.
 */
describe('pack bounds', () => {
  const q = useQueueRedis();

  const queuesOf = (prefix: string, packSize?: number) =>
    new PartitionedQueue(q.redis, { prefix, name: 'compare', partitions: 1, spread: 'route', packSize });
  const fresh = (name: string) => q.fresh(name);
  const ex = (id: string) => benchExchange(id, { size: '2k', differ: false });

  it('queue.maxBacklogExchanges bounds the exchanges waiting, in whole packs: packs of 32 under a cap of 80 let two packs wait', async () => {
    const queues = queuesOf(fresh('backlog-x'));
    const drops: string[] = [];
    const producer = testProducer(queues, q.redis, drops, { packSize: 32, maxBacklogExchanges: 80 });
    for (let i = 0; i < 150; i++) producer.enqueue(ex(`b-${i}`));
    expect(await producer.close(10_000)).toBe(0);
    // Two whole packs (64); the third would pass the cap and is never cut to fit (a re-sent batch keeps its job ids).
    expect((await queues.queue(0).getRanges(['waiting'], 0, -1)).sort()).toEqual(['b-0+32', 'b-32+32']);
    expect(drops).toEqual(Array(86).fill('items:backlog_full'));
    await queues.close();
  });

  it('queue.maxBacklog still counts jobs, whatever they hold, and applies with the exchange cap', async () => {
    const lone = queuesOf(fresh('backlog-lone'));
    const loneDrops: string[] = [];
    const producer = testProducer(lone, q.redis, loneDrops, { packSize: 1, maxBacklog: 3 });
    for (let i = 0; i < 10; i++) producer.enqueue(ex(`one-${i}`));
    expect(await producer.close(10_000)).toBe(0);
    expect(await lone.count()).toBe(3);
    expect(loneDrops).toEqual(Array(7).fill('items:backlog_full'));
    await lone.close();
    // Packs of 32 under 2 jobs: 64 exchanges, far below the exchange cap.
    const packed = queuesOf(fresh('backlog-jobs'));
    const drops: string[] = [];
    const packer = testProducer(packed, q.redis, drops, { packSize: 32, maxBacklog: 2, maxBacklogExchanges: 80_000 });
    for (let i = 0; i < 150; i++) packer.enqueue(ex(`p-${i}`));
    expect(await packer.close(10_000)).toBe(0);
    expect((await packed.queue(0).getRanges(['waiting'], 0, -1)).sort()).toEqual(['p-0+32', 'p-32+32']);
    expect(drops).toEqual(Array(86).fill('items:backlog_full'));
    await packed.close();
  });

  it('partial packs already waiting are counted from their job ids, not as full packs', async () => {
    const prefix = fresh('backlog-ids');
    const lone = queuesOf(prefix);
    // Three lone exchanges wait: 3 exchanges, where three full packs of 32 would be 96, over the cap of 40.
    const first = testProducer(lone, q.redis, [], { packSize: 1 });
    for (let i = 0; i < 3; i++) first.enqueue(ex(`one-${i}`));
    expect(await first.close(10_000)).toBe(0);
    await lone.close();
    const queues = queuesOf(prefix);
    const drops: string[] = [];
    const producer = testProducer(queues, q.redis, drops, { packSize: 32, maxBacklogExchanges: 40 });
    for (let i = 0; i < 50; i++) producer.enqueue(ex(`more-${i}`));
    expect(await producer.close(10_000)).toBe(0);
    // Room for 37: one pack of 32 (the cheap reading alone would have queued none).
    expect(await queues.exchanges()).toBe(35);
    expect(drops).toEqual(Array(18).fill('items:backlog_full'));
    await queues.close();
  });

  it('reads a bounded number of job ids and extrapolates beyond them', async () => {
    const prefix = fresh('backlog-read');
    // Three lone jobs and a pack of 4: 7 exchanges in 4 jobs.
    for (const [packSize, ids] of [
      [1, ['a', 'b', 'c']],
      [4, ['d', 'e', 'f', 'g']],
    ] as const) {
      const queues = queuesOf(prefix);
      const producer = testProducer(queues, q.redis, [], { packSize });
      for (const id of ids) producer.enqueue(ex(id));
      expect(await producer.close(10_000)).toBe(0);
      await queues.close();
    }
    const queues = queuesOf(prefix);
    expect(await queues.exchanges()).toBe(7);
    // Two ids read of four jobs: what they hold, times two.
    const firstTwo = await queues.queue(0).getRanges(['waiting'], 0, 1);
    const estimate = await queues.exchanges(undefined, 2);
    expect(estimate).toBe(2 * firstTwo.reduce((n, id) => n + exchangesInJob(id), 0));
    expect(estimate).not.toBe(7);
    await queues.close();
  });

  it('a pack stops at PACK_BYTES whatever queue.packSize allows, and every exchange is queued', async () => {
    const queues = queuesOf(fresh('pack-bytes'));
    const drops: string[] = [];
    const big = Buffer.alloc(Math.floor(PACK_BYTES / 3), 'a');
    const large = (id: string): ExchangeRecord => {
      const e = ex(id);
      return { ...e, legacy: { ...e.legacy, body: bytesBody(big) }, candidate: { ...e.candidate!, body: bytesBody(big) } };
    };
    // Each holds two thirds of PACK_BYTES: one per pack, the last with the 2 KB ones after it.
    const sent = [...Array.from({ length: 4 }, (_, i) => large(`l-${i}`)), ...Array.from({ length: 6 }, (_, i) => ex(`s-${i}`))];
    expect(exchangeBytes(sent[0])).toBeGreaterThan(PACK_BYTES / 2);
    const producer = testProducer(queues, q.redis, drops, { packSize: 256, maxBufferBytes: 64 << 20 });
    for (const e of sent) producer.enqueue(e);
    expect(await producer.close(10_000)).toBe(0);
    expect(drops).toEqual([]);
    const ids = await queues.queue(0).getRanges(['waiting'], 0, -1);
    expect(ids.sort()).toEqual(['l-0', 'l-1', 'l-2', 'l-3+7']);
    await queues.close();
  });

  it('keeps as many failed jobs as hold 16,000 exchanges: 250 packs of 64, 1000 of 16', async () => {
    const counts: number[] = [];
    for (const packSize of [64, 16]) {
      const queues = queuesOf(fresh('failed-kept'), packSize);
      const producer = testProducer(queues, q.redis, [], { packSize });
      producer.enqueue(ex('f-1'));
      producer.enqueue(ex('f-2'));
      expect(await producer.close(10_000)).toBe(0);
      const job = await queues.queue(0).getJob('f-1+2');
      counts.push((job!.opts.removeOnFail as { count: number }).count);
      await queues.close();
    }
    expect(counts).toEqual([250, 1000]);
  });

  /*
   * A batch sent again after an unclear failure (its reply lost, so it stays buffered and the
   * guard never counted it) must add the same job ids and count nothing twice. The retry comes
   * after the guard's next reading, which already counts the jobs the first try added: it
   * must not cut the batch again by it. The reply is lost for real: the jobs are added to Redis, then the add fails
   * as a lost connection does (`Connection is closed.`), after the guard's reading has aged.
   */
  it('a batch sent again after a lost reply adds no job twice and counts no queued exchange as backlog_full', async () => {
    const queues = new PartitionedQueue(q.redis, {
      prefix: fresh('resend'),
      name: 'compare',
      partitions: 1,
      spread: 'route',
      packSize: 32,
    });
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
    const producer = testProducer(queues, q.redis, drops, { packSize: 32, maxBacklog: 80, maxBacklogExchanges: 80 });
    for (let i = 0; i < 50; i++) producer.enqueue(ex(`r-${i}`));
    expect(await producer.close(10_000)).toBe(0);
    expect(lost).toBe(2);
    // Every exchange is queued exactly once (the worker compares and counts it): no new job, no drop.
    const after = (await queue.getRanges(['waiting'], 0, -1)).sort();
    expect({ jobs: after, drops: drops.length }).toEqual({ jobs: ['r-0+32', 'r-32+18'], drops: 0 });
    await queues.close();
  });
});
