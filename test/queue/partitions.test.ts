import { ExchangeProducer, jobExchanges, PartitionedQueue, routePartition, type CompareJobData, type QueueSpread } from '../../src/queue';
import { storeKeys } from '../../src/store';
import { benchExchange } from '../../bench/exchanges';
import { useQueueRedis } from '../support/producer';
import type { Job } from 'bullmq';

/**
 * Queue partitions (issue #21) on a single Redis: producers spread a batch over
 * `queue.partitions` BullMQ queues, each under its own hash tag, by route or evenly; body
 * parts sit beside their job; the backlog count and the partition mark span them all.
 */
describe('queue partitions: the producer side', () => {
  const q = useQueueRedis();

  const rig = (spread: QueueSpread, o: { partitions?: number; packSize?: number; maxBacklog?: number } = {}) => {
    const prefix = q.fresh('parts');
    const queues = new PartitionedQueue(q.redis, { prefix, name: 'compare', partitions: o.partitions ?? 3, spread });
    const drops: string[] = [];
    const producer = new ExchangeProducer(() => queues, {
      bufferSize: 1000,
      packSize: o.packSize ?? 4,
      lingerMs: 0,
      spread,
      maxBacklog: o.maxBacklog,
      isConnected: () => q.redis.status === 'ready',
      redis: () => q.redis,
      onDrop: (route, reason) => drops.push(`${route}:${reason}`),
    });
    const jobsIn = async (i: number): Promise<Job<CompareJobData>[]> => queues.queue(i).getJobs(['waiting']);
    return { prefix, queues, producer, drops, jobsIn };
  };

  // Route names whose partitions among 3 are 0, 1 and 2 (found, not assumed).
  const routes = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const oneOfEach = [0, 1, 2].map((p) => routes.find((r) => routePartition(r, 3) === p)!);

  it('spread route: every route goes to its own partition, packed with its own kind, body parts in the same slot as the job', async () => {
    expect(oneOfEach.every(Boolean)).toBe(true);
    const { prefix, queues, producer, drops, jobsIn } = rig('route');
    const sent: string[] = [];
    for (let i = 0; i < 8; i++)
      for (const route of oneOfEach) {
        const ex = benchExchange(`${route}-${i}`, { size: '2k', differ: false }, route);
        sent.push(ex.id);
        producer.enqueue(ex);
      }
    expect(await producer.close(10_000)).toBe(0);
    expect(drops).toEqual([]);
    const k = storeKeys(prefix);
    const seen: string[] = [];
    for (const p of [0, 1, 2]) {
      const jobs = await jobsIn(p);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        const exchanges = jobExchanges(job.data);
        expect(new Set(exchanges.map((e) => e.route))).toEqual(new Set([oneOfEach[p]]));
        seen.push(...exchanges.map((e) => e.id));
        const bodies = (job.data as { bodies?: string }).bodies!;
        expect(bodies.startsWith(`${k.queueTag(p)}:compare:bodies:`)).toBe(true);
        expect(await q.redis.llen(bodies)).toBeGreaterThan(0);
      }
    }
    expect(seen.sort()).toEqual(sent.sort());
    expect(k.queueTag(1)).toBe(`{${prefix}:queue:1}`);
    expect(await q.redis.keys(`{${prefix}:queue:2}:compare:*`)).not.toEqual([]);
    // the backlog count and the mark span every partition
    expect(await queues.count()).toBe((await Promise.all([0, 1, 2].map(async (p) => (await jobsIn(p)).length))).reduce((a, b) => a + b));
    expect(await queues.mark()).toBe(3);
  });

  it('spread even: one route spreads over every partition, each job where its id hashes to', async () => {
    const { queues, producer, jobsIn } = rig('even');
    for (let i = 0; i < 96; i++) producer.enqueue(benchExchange(`e-${i}`, { size: '2k', differ: false }, 'only'));
    expect(await producer.close(10_000)).toBe(0);
    let exchanges = 0;
    for (const p of [0, 1, 2]) {
      const jobs = await jobsIn(p);
      expect(jobs.length).toBeGreaterThan(0); // 24 jobs over 3 partitions: each gets some
      for (const job of jobs) {
        expect(queues.partitionOfJob(job.id!)).toBe(p);
        exchanges += jobExchanges(job.data).length;
      }
    }
    expect(exchanges).toBe(96);
  });

  it('the backlog cap counts the jobs of every partition together', async () => {
    const { producer, drops, queues } = rig('route', { packSize: 1, maxBacklog: 6 });
    for (let i = 0; i < 4; i++)
      for (const route of oneOfEach) producer.enqueue(benchExchange(`${route}-b${i}`, { size: '2k', differ: false }, route));
    expect(await producer.close(10_000)).toBe(0);
    expect(await queues.count()).toBe(6);
    expect(drops).toHaveLength(6);
    expect(drops.every((d) => d.endsWith(':backlog_full'))).toBe(true);
  });

  it('a refused exchange (heading its pack) in one partition is dropped alone; the rest of every partition is queued', async () => {
    const { producer, drops, jobsIn } = rig('route');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      for (const route of oneOfEach) {
        const id = i === 0 && route === oneOfEach[2] ? 'bad:id' : `${route}-r${i}`;
        ids.push(id);
        producer.enqueue(benchExchange(id, { size: '2k', differ: false }, route));
      }
    expect(await producer.close(10_000)).toBe(0);
    expect(drops).toEqual([`${oneOfEach[2]}:queue_rejected`]);
    const queued = (await Promise.all([0, 1, 2].map(jobsIn))).flat().flatMap((j) => jobExchanges(j.data).map((e) => e.id));
    expect(queued.sort()).toEqual(ids.filter((id) => id !== 'bad:id').sort());
  });

  it('a deployment back to one partition keeps reading the others until they are empty, then removes the mark', async () => {
    const { prefix, producer, queues } = rig('route');
    for (const route of oneOfEach) producer.enqueue(benchExchange(`${route}-m`, { size: '2k', differ: false }, route));
    expect(await producer.close(10_000)).toBe(0);
    const one = new PartitionedQueue(q.redis, { prefix, name: 'compare', partitions: 1, spread: 'route' });
    expect(await one.width()).toBe(3); // what others announced is read too
    expect(await one.count()).toBe(3);
    expect(await one.retireEmpty()).toBe(3); // partitions 1 and 2 still hold jobs
    for (const p of [1, 2]) await queues.queue(p).obliterate({ force: true });
    expect(await one.retireEmpty()).toBe(0);
    expect(await q.redis.exists(storeKeys(prefix).queuePartitions('compare'))).toBe(0);
    expect(await one.width()).toBe(1);
    await one.close();
    await queues.close();
  });
});
