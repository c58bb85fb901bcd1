import { PartitionedQueue, jobExchanges, type ExchangeProducer } from '../../src/queue';
import { prepareBatch } from '../../src/queue/prepare-batch';
import type { ExchangeRecord } from '../../src/records';
import { benchExchange } from '../../bench/exchanges';
import { testProducer, useQueueRedis } from '../support/producer';

/** Holds the thread for `ms` of wall time: a stand-in for redaction that costs that much, whatever the machine's load. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

const exchanges = (n: number) => Array.from({ length: n }, (_, i) => benchExchange(`turn-${i}`, { size: '2k', differ: false }));

/**
 * The producer's work on a batch never holds the event loop for the whole batch: redaction
 * goes in slices of about 2 ms with a loop turn between them, and jobs are added one per
 * turn, so the proxy's requests are served in between (issue #20: the p99 at 1,000 req/s).
 * Each check is an order of events (did the loop turn before the batch was done?), not a
 * duration, so a loaded machine does not change it.
 */
describe('the producer lets the event loop turn during a batch', () => {
  const q = useQueueRedis();

  it('prepares a long batch in slices, in order, counting what fails', async () => {
    const batch = exchanges(40);
    let calls = 0;
    let callsAtTurn = -1;
    const prepared = prepareBatch(batch, (ex) => {
      if (calls++ === 0) setImmediate(() => (callsAtTurn = calls));
      busy(0.5);
      if (ex.id === 'turn-7') throw new Error('too deep');
      return { ...ex, customer: 'prepared' };
    });
    expect(prepared).toBeInstanceOf(Promise);
    const { ready, from, failed } = await prepared;
    // 40 × 0.5 ms is 20 ms of work: the loop took a turn long before the last exchange.
    expect(callsAtTurn).toBeGreaterThan(0);
    expect(callsAtTurn).toBeLessThan(batch.length);
    expect(failed.map((e) => e.id)).toEqual(['turn-7']);
    expect(from.map((e) => e.id)).toEqual(batch.filter((e) => e.id !== 'turn-7').map((e) => e.id));
    expect(ready.every((e) => e.customer === 'prepared')).toBe(true);
  });

  it('prepares a short batch at once, with no turn', () => {
    const batch = exchanges(3);
    const prepared = prepareBatch(batch, (ex) => ex);
    expect(prepared).not.toBeInstanceOf(Promise);
    expect((prepared as Awaited<typeof prepared>).ready).toEqual(batch);
  });

  it('adds a batch of several packs one job per loop turn, every exchange queued once', async () => {
    const queues = new PartitionedQueue(q.redis, { prefix: q.fresh('loop-turns'), name: 'compare', partitions: 1, spread: 'route' });
    const queue = queues.queue(0);
    const drops: string[] = [];
    const events: string[] = [];
    const add = queue.add.bind(queue);
    queue.add = ((name, data, opts) => {
      events.push('add');
      if (events.length === 1) setImmediate(() => events.push('turn'));
      return add(name, data, opts);
    }) as typeof queue.add;
    const producer: ExchangeProducer = testProducer(queues, q.redis, drops, { packSize: 4 });
    try {
      const batch = exchanges(16);
      for (const ex of batch) producer.enqueue(ex);
      expect(await producer.close(10_000)).toBe(0);
      expect(drops).toEqual([]);
      // Four packs of four: the loop turned after the first add, before the last.
      expect(events.filter((e) => e === 'add')).toHaveLength(4);
      expect(events.indexOf('turn')).toBeGreaterThan(0);
      expect(events.indexOf('turn')).toBeLessThan(events.lastIndexOf('add'));
      const jobs = await queue.getJobs(['waiting']);
      const queued = jobs.flatMap((j) => jobExchanges(j.data)).map((e: ExchangeRecord) => e.id);
      expect(queued.sort()).toEqual(batch.map((e) => e.id).sort());
    } finally {
      await queue.close();
    }
  });
});
