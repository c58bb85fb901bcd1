import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { dataNodes, openRedis, scanKeys, storeKeys, type RedisClient } from '../../src/store';
import { recordFigures } from '../faults/helpers/figures';
import { sleep, startLoad, waitUntil } from '../faults/helpers/load';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startTandemProcess, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { uniquePrefix } from '../support/redis';

/**
 * Fault: the master that holds the deployment's slot is killed (SIGKILL) while a real
 * `tandem serve` (with its own worker) and a `tandem worker` on the Redis Cluster take
 * steady traffic on two routes. Clients must see legacy's answers throughout; the
 * replica takes over; comparisons resume; whatever could not be queued meanwhile is
 * counted by reason; every accepted exchange ends in exactly one counter, once. The killed node then restarts from its folder
 * (`.ci/redis-cluster`) and rejoins as a replica.
 *
 * The test kills a master, so it runs on a cluster of its own (`.ci/redis-cluster` on
 * ports 7100-7105, TANDEM_FAILOVER_CLUSTER_PORT moves them), stopped afterwards: the
 * shared one on 7000-7005 may be serving another cluster test at that moment.
 */
const SCRIPT = join(__dirname, '../../.ci/redis-cluster');
const BASE_PORT = Number(process.env.TANDEM_FAILOVER_CLUSTER_PORT || 7100);
/** `.ci/redis-cluster [stop]` on this test's ports: the node list it prints. */
const clusterScript = (...args: string[]) =>
  execFileSync(SCRIPT, args, {
    env: { ...process.env, TANDEM_CLUSTER_PORT: String(BASE_PORT) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 60_000,
  }).trim();
const ROUTES = ['product', 'order'] as const;
const LOAD_MS = 14_000;
const KILL_AFTER_MS = 3_000;

type Counters = Record<string, number>;
const sum = (c: Counters, kind: string) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith(`${kind}:`) ? n + v : n), 0);
const ended = (c: Counters) => (c.compared ?? 0) + sum(c, 'dropped') + sum(c, 'skipped');

describe('fault: the master of the deployment slot is killed under traffic (Redis Cluster)', () => {
  let nodes: string[] = [];
  const prefix = uniquePrefix('failover');
  const dir = tempDir('failover');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: { child: Child; url: string };
  let probe: RedisClient;
  let killedPort = 0;

  /** Who a surviving node says serves `slot` once it sees the cluster ok (undefined before). */
  const slotOwnerSeenBy = async (port: number, slot: number): Promise<number | undefined> => {
    const node = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
    node.on('error', () => undefined);
    try {
      if (!/cluster_state:ok/.test(String(await node.cluster('INFO')))) return undefined;
      const owner = (await node.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
      return owner ? Number(owner[2][1]) : undefined;
    } catch {
      return undefined;
    } finally {
      node.disconnect();
    }
  };
  const counters = async (): Promise<Record<string, Counters>> => {
    const out: Record<string, Counters> = {};
    for (const r of ROUTES) {
      const raw = await probe.hgetall(storeKeys({ prefix, tagging: 'route' }).counters(r));
      out[r] = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    }
    return out;
  };
  const comparedTotal = (c: Record<string, Counters>) => ROUTES.reduce((n, r) => n + (c[r].compared ?? 0), 0);
  const pendingJobs = async () => {
    const queue = new Queue('compare', { connection: probe, prefix: storeKeys(prefix).queuePrefix });
    try {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
      return { pending: c.waiting + c.active + c.delayed + c.prioritized + c['waiting-children'], failed: c.failed };
    } finally {
      await queue.close().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    nodes = clusterScript().split(',');
    legacy = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    candidate = await startBackend((r) => ({ body: { id: r.url, price: 10 } }));
    const config = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      candidate: { url: candidate.url, timeoutMs: 1000 },
      redis: { cluster: { nodes }, prefix },
      report: { token: 'failover-token-0123456789' },
      // Smaller than what arrives while the slot has no master, so some is dropped and counted.
      queue: { bufferSize: 20 },
      worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'GET /orders/:id' },
      ],
    });
    tandem = await startTandemProcess(config);
    // Two consumers, as in production: the worker inside `tandem serve` and a `tandem worker`.
    await startWorkerProcess(config);
    probe = openRedis({ cluster: { nodes } }, 'client');
    await waitUntil(
      async () => probe.status,
      (s) => s === 'ready',
      10_000,
    );
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    probe?.disconnect();
    clusterScript('stop');
    dir.remove();
  }, 45_000);

  it('serves every client, fails over, resumes comparing, and counts every exchange once', async () => {
    // The queue and the deployment-wide keys are in the slot of `{prefix}`: find the master serving it.
    const slot = Number(await probe.cluster('KEYSLOT', storeKeys(prefix).routes));
    const table = await probe.cluster('SLOTS');
    const owner = table.find(([from, to]) => slot >= from && slot <= to)!;
    killedPort = Number(owner[2][1]);
    const master = dataNodes(probe).find((n) => n.options.port === killedPort)!;
    const pid = Number(/process_id:(\d+)/.exec(await master.info('server'))?.[1]);
    expect(pid).toBeGreaterThan(0);

    const load = startLoad(
      tandem.url,
      (i) => (i % 2 ? `/orders/${i}` : `/products/${i}`),
      2,
      (r, i) => r.status === 200 && r.body.includes(i % 2 ? `"/orders/${i}"` : `"/products/${i}"`),
      { pauseMs: 100 },
    );
    await sleep(KILL_AFTER_MS);
    const beforeKill = comparedTotal(await counters());
    expect(beforeKill).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    // The replica takes over: another node serves the slot and the cluster is ok again.
    const other = nodes.map((n) => Number(n.split(':')[1])).find((p) => p !== killedPort)!;
    const newMaster = await waitUntil(
      () => slotOwnerSeenBy(other, slot),
      (p) => p !== undefined && p !== killedPort,
      20_000,
      100,
    );
    const failoverMs = Date.now() - killedAt;
    // Comparisons resume: compared keeps growing past what it was at the kill.
    const atRecovery = await waitUntil(
      () =>
        counters()
          .then(comparedTotal)
          .catch(() => -1),
      (n) => n >= 0,
      10_000,
      200,
    );
    await waitUntil(
      () =>
        counters()
          .then(comparedTotal)
          .catch(() => -1),
      (n) => n > Math.max(atRecovery, beforeKill),
      20_000,
      200,
    );
    const resumedMs = Date.now() - killedAt;

    await sleep(Math.max(0, LOAD_MS - (Date.now() - killedAt + KILL_AFTER_MS)));
    const client = await load.stop();

    // Once the queue drains, every accepted exchange ended in exactly one counter.
    const done = await waitUntil(
      async () => {
        try {
          return { c: await counters(), q: await pendingJobs() };
        } catch {
          return undefined;
        }
      },
      (s) =>
        !!s &&
        s.q.pending === 0 &&
        ROUTES.every((r) => (s.c[r].seen ?? 0) > 0 && s.c[r].seen === ended(s.c[r])) &&
        ROUTES.reduce((n, r) => n + s.c[r].seen, 0) === client.sent,
      20_000,
      250,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\nnow: ${JSON.stringify(await counters().catch(() => null))}`);
    });
    const c = done!.c;
    const k = storeKeys({ prefix, tagging: 'route' });
    const markers = (await Promise.all(ROUTES.map((r) => scanKeys(probe, `${k.recordPrefix('done', r)}*`)))).flat().length;
    recordFigures('cluster-failover', {
      sent: client.sent,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      p99LatencyMs: client.p99LatencyMs,
      killedMaster: killedPort,
      newMaster,
      failoverMs,
      comparisonsResumedMs: resumedMs,
      counters: c,
      doneMarkers: markers,
      failedJobs: done!.q.failed,
    });

    expect(client.errors).toEqual([]);
    expect(client.failed).toBe(0);
    expect(client.ok).toBe(client.sent);
    expect(client.sent).toBeGreaterThan(150);
    // No client waited on the failover (generous: the machine is shared and loaded).
    expect(client.maxLatencyMs).toBeLessThan(2000);
    for (const r of ROUTES) {
      expect(c[r].seen).toBe(ended(c[r]));
      expect(c[r].compared).toBeGreaterThan(0);
      expect(c[r].match).toBe(c[r].compared);
    }
    // What arrived while the slot had no master and did not fit the buffer was counted by reason.
    const droppedAll = ROUTES.reduce((n, r) => n + sum(c[r], 'dropped'), 0);
    expect(droppedAll).toBeGreaterThan(0);
    // ...as buffer_full: a batch whose connection died with the master is sent again, not
    // taken for one that Redis refused (queue_rejected).
    for (const r of ROUTES) expect(Object.keys(c[r]).filter((k) => k.startsWith('dropped:') && k !== 'dropped:buffer_full')).toEqual([]);
    // Nothing recorded twice: one done marker per compared exchange.
    expect(markers).toBe(comparedTotal(c));
    expect(done!.q.failed).toBe(0);

    // The killed node restarts from its folder (same identity) and rejoins as the new master's replica.
    expect(clusterScript()).toBe(nodes.join(','));
    const back = new IORedis({ host: '127.0.0.1', port: killedPort, maxRetriesPerRequest: 1 });
    try {
      expect(await back.info('replication')).toMatch(new RegExp(`role:slave[\\s\\S]*master_port:${newMaster}`));
      expect(await back.cluster('INFO')).toMatch(/cluster_state:ok/);
    } finally {
      back.disconnect();
    }
  }, 60_000);
});
