import { PartitionedQueue, routePartition, type CompareJobData } from '../../src/queue';
import { openRedis, storeKeys, type RedisClient } from '../../src/store';
import { startBackend, type TestBackend } from '../support/backends';
import { testClusterNodes } from '../support/cluster';
import { killAll, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, valueOf } from '../support/prom-text';

jest.setTimeout(120_000);

/**
 * Queue partitions (issue #21), end to end, on a single Redis and on the test Redis
 * Cluster: with `queue.partitions: 3` the proxy's producer puts each route's exchanges in
 * the route's partition, each partition a BullMQ queue under its own hash tag (its own
 * slot); `/api/lag` sums the partitions; one `tandem worker` consumes all three; every
 * exchange ends in exactly one counter.
 */
const PER_ROUTE = 12;
const PARTITIONS = 3;
// Two routes per partition, found (not assumed) from the partition function.
const CANDIDATES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const ROUTES = [0, 1, 2].flatMap((p) => CANDIDATES.filter((r) => routePartition(r, PARTITIONS) === p).slice(0, 2));
const differs = (n: number) => n % 3 === 0;

describe.each([
  ['a single Redis', false],
  ['the Redis Cluster', true],
])('queue partitions on %s', (_name, onCluster) => {
  const prefix = uniquePrefix('qparts');
  const dir = tempDir('qparts');
  let target: string | { cluster: { nodes: string[] } };
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let probe: RedisClient;
  let queues: PartitionedQueue;
  let worker: Child | null = null;

  beforeAll(async () => {
    target = onCluster ? { cluster: { nodes: testClusterNodes() } } : TEST_REDIS_URL;
    const n = (url: string) => Number(/\/(\d+)$/.exec(url)?.[1]);
    legacy = await startBackend((req) => ({ body: { id: n(req.url), price: 10 } }));
    candidate = await startBackend((req) => ({ body: { id: n(req.url), price: differs(n(req.url)) ? 11 : 10 } }));
    const options = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      queue: { partitions: PARTITIONS, lingerMs: 50 },
      worker: { inProcess: false },
      routes: ROUTES.map((name) => ({ name, match: `GET /${name}/:id` })),
    };
    t = await startTestTandem({ ...options, redis: typeof target === 'string' ? { url: target, prefix } : { ...target, prefix } });
    writeConfig(dir.path, { ...options, redis: typeof target === 'string' ? { url: target, prefix } : { ...target, prefix } });
    probe = openRedis(target, 'client');
    queues = new PartitionedQueue(probe, { prefix, name: 'compare', partitions: PARTITIONS, spread: 'route' });
  });

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await killAll();
    await queues?.close();
    await probe?.quit().catch(() => probe.disconnect());
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  it('routes cover every partition', () => {
    expect(ROUTES).toHaveLength(6);
    expect(new Set(ROUTES.map((r) => routePartition(r, PARTITIONS)))).toEqual(new Set([0, 1, 2]));
  });

  it('puts each route in its partition, each partition under its own hash tag and slot, and /api/lag sums them', async () => {
    await Promise.all(
      ROUTES.map(async (r) => {
        for (let i = 1; i <= PER_ROUTE; i++) expect((await request(`${t.url}/${r}/${i}`)).status).toBe(200);
      }),
    );
    const total = ROUTES.length * PER_ROUTE;
    const lag = await t.waitFor(async () => {
      const l = await t.api<{ waitingExchanges: number; waiting: number; partitions: number; buffered: number; message: string }>('/lag');
      return l.waitingExchanges === total && l.buffered === 0 && l;
    }, 20_000);
    expect(lag.partitions).toBe(PARTITIONS);
    expect(lag.message).toContain(`${total} exchanges waiting`);

    const k = storeKeys(prefix);
    const slots = new Set<number>();
    let jobsSeen = 0;
    let exchangesSeen = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const q = queues.queue(p);
      expect(q.keys.wait.startsWith(`${k.queueTag(p)}:compare:`)).toBe(true);
      const jobs = await q.getJobs(['waiting']);
      jobsSeen += jobs.length;
      exchangesSeen += jobs.reduce((n, j) => n + exchangesOf(j.data).length, 0);
      const routes = new Set(jobs.flatMap((j) => exchangesOf(j.data).map((e) => e.route)));
      expect(routes).toEqual(new Set(ROUTES.filter((r) => routePartition(r, PARTITIONS) === p)));
      if (onCluster) {
        const slot = Number(await probe.cluster('KEYSLOT', q.keys.wait));
        slots.add(slot);
        // a job's body parts sit in its partition's slot
        const withParts = jobs.filter((j) => 'bodies' in j.data && j.data.bodies);
        expect(withParts.length).toBeGreaterThan(0);
        for (const j of withParts) expect(Number(await probe.cluster('KEYSLOT', (j.data as { bodies: string }).bodies))).toBe(slot);
      }
    }
    expect(exchangesSeen).toBe(total);
    const again = await t.api<{ waiting: number; byPartition: { waiting: number; waitingExchanges: number }[] }>('/lag');
    expect(again.waiting).toBe(jobsSeen);
    // each partition's own figures add up to the totals; every partition holds two routes' exchanges
    expect(again.byPartition.map((p) => p.waitingExchanges)).toEqual([2 * PER_ROUTE, 2 * PER_ROUTE, 2 * PER_ROUTE]);
    expect(again.byPartition.reduce((n, p) => n + p.waiting, 0)).toBe(jobsSeen);
    // and so does Prometheus: one gauge per partition, summed in tandem_queue_jobs
    const prom = parseProm((await request(`${t.opsUrl}/metrics`)).body.toString());
    const perPartition = [0, 1, 2].map(
      (p) => valueOf(prom, 'tandem_queue_partition_jobs', { partition: String(p), state: 'waiting' }) ?? 0,
    );
    expect(perPartition.every((n) => n > 0)).toBe(true);
    expect(perPartition.reduce((a, b) => a + b, 0)).toBe(valueOf(prom, 'tandem_queue_jobs', { state: 'waiting' }));
    if (onCluster) expect(slots.size).toBe(PARTITIONS);
  });

  it('one `tandem worker` consumes every partition, and every exchange ends in exactly one counter', async () => {
    worker = await startWorkerProcess(`${dir.path}/tandem.json`);
    expect(worker.output()).toMatch(/"partitions":3/);
    for (const r of ROUTES) {
      const c = await t.waitFor(async () => {
        const c = await t.counters(r);
        return (c.compared ?? 0) >= PER_ROUTE && c;
      }, 60_000);
      const mismatches = Array.from({ length: PER_ROUTE }, (_, i) => i + 1).filter(differs).length;
      expect(c).toMatchObject({ seen: PER_ROUTE, compared: PER_ROUTE, match: PER_ROUTE - mismatches, mismatch: mismatches });
      const ended = Object.entries(c)
        .filter(([f]) => f === 'compared' || f.startsWith('skipped:') || f.startsWith('dropped:'))
        .reduce((n, [, v]) => n + v, 0);
      expect(ended).toBe(c.seen);
    }
    const lag = await t.api<{ waiting: number; waitingExchanges: number; active: number; failed: number; partitions: number }>('/lag');
    expect(lag).toMatchObject({ waiting: 0, waitingExchanges: 0, failed: 0, partitions: PARTITIONS });
  });
});

function exchangesOf(data: CompareJobData): { route: string }[] {
  return 'exchanges' in data ? data.exchanges : [data];
}

describe('queue.partitions lowered on a running deployment (single Redis)', () => {
  const prefix = uniquePrefix('qshrink');
  const dir = tempDir('qshrink');
  let backend: TestBackend;
  let t: TestTandem;
  let probe: RedisClient;
  let worker: Child | null = null;

  beforeAll(async () => {
    backend = await startBackend(() => ({ body: { ok: true } }));
    const options = {
      legacy: { url: backend.url },
      candidate: { url: backend.url },
      worker: { inProcess: false },
      routes: ROUTES.map((name) => ({ name, match: `GET /${name}/:id` })),
    };
    // The proxy still produces to 3 partitions; the worker was started with 1.
    t = await startTestTandem({ ...options, queue: { partitions: PARTITIONS }, redis: { url: TEST_REDIS_URL, prefix } });
    writeConfig(dir.path, { ...options, queue: { partitions: 1 }, redis: { url: TEST_REDIS_URL, prefix } });
    probe = openRedis(TEST_REDIS_URL, 'client');
  });

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await probe?.quit().catch(() => probe.disconnect());
    await t?.stop();
    await backend?.close();
    dir.remove();
  });

  it('a worker with fewer partitions still consumes every partition that holds jobs, then retires the mark', async () => {
    for (const r of ROUTES) for (let i = 1; i <= 4; i++) expect((await request(`${t.url}/${r}/${i}`)).status).toBe(200);
    await t.waitFor(async () => (await t.api<{ waitingExchanges: number }>('/lag')).waitingExchanges === ROUTES.length * 4, 20_000);
    const mark = storeKeys(prefix).queuePartitions('compare');
    expect(await probe.zscore(mark, 'width')).toBe(String(PARTITIONS));
    worker = await startWorkerProcess(`${dir.path}/tandem.json`);
    for (const r of ROUTES) {
      const c = await t.waitFor(async () => {
        const c = await t.counters(r);
        return (c.compared ?? 0) >= 4 && c;
      }, 60_000);
      expect(c).toMatchObject({ seen: 4, compared: 4, match: 4 });
    }
    expect(worker.output()).toMatch(/consuming a queue partition beyond queue.partitions/);
    // partitions 1 and 2 are empty now: the worker removes the mark within its check interval
    await t.waitFor(async () => (await probe.exists(mark)) === 0, 15_000);
    expect(await t.api<{ partitions: number; waiting: number }>('/lag')).toMatchObject({ partitions: PARTITIONS, waiting: 0 });
  });
});
