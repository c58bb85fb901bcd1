import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { openRedis, storeKeys, type RedisClient } from '../../src/store';
import { recordFigures } from '../faults/helpers/figures';
import { sleep, startLoad, waitUntil } from '../faults/helpers/load';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startTandemProcess, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { uniquePrefix } from '../support/redis';

/**
 * Fault: the shard that holds the deployment's slot (the queue, the deployment-wide keys)
 * freezes: its master and its replica stop (SIGSTOP) under steady traffic, so they keep
 * accepting connections and never answer, and no failover can help, until they are
 * continued (SIGCONT) seconds later. A real `tandem serve` (with its own worker) and a
 * `tandem worker` run on the cluster meanwhile. Per the hard rules: clients get legacy's
 * answers throughout with no added delay; what could not be queued is counted by reason,
 * not lost; comparisons resume by themselves once the shard thaws; every accepted
 * exchange ends in exactly one counter.
 *
 * It freezes nodes, so it runs on a cluster of its own (`.ci/redis-cluster` on ports
 * 7300-7305, TANDEM_FROZEN_CLUSTER_PORT moves them), stopped afterwards.
 */
const SCRIPT = join(__dirname, '../../.ci/redis-cluster');
const BASE_PORT = Number(process.env.TANDEM_FROZEN_CLUSTER_PORT || 7300);
const clusterScript = (...args: string[]) =>
  execFileSync(SCRIPT, args, {
    env: { ...process.env, TANDEM_CLUSTER_PORT: String(BASE_PORT) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 60_000,
  }).trim();
const ROUTES = ['product', 'order'] as const;
const FREEZE_AFTER_MS = 3_000;
/** Four times the cluster's node timeout (2 s): the shard is marked failed, and stays so. */
const FREEZE_MS = 8_000;

type Counters = Record<string, number>;
const sum = (c: Counters, kind: string) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith(`${kind}:`) ? n + v : n), 0);
const ended = (c: Counters) => (c.compared ?? 0) + sum(c, 'dropped') + sum(c, 'skipped');

/** A node's process id (INFO server), asked on a connection of its own. */
async function pidOf(port: number): Promise<number> {
  const node = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
  node.on('error', () => undefined);
  try {
    return Number(/process_id:(\d+)/.exec(await node.info('server'))?.[1]);
  } finally {
    node.disconnect();
  }
}

describe('fault: the shard of the deployment slot freezes under traffic (Redis Cluster)', () => {
  const prefix = uniquePrefix('frozen');
  const dir = tempDir('frozen');
  let nodes: string[] = [];
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: { child: Child; url: string };
  let worker: Child;
  let probe: RedisClient;
  let frozen: number[] = [];

  const thaw = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    frozen = [];
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
  const comparedNow = () =>
    counters()
      .then(comparedTotal)
      .catch(() => -1);
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
      report: { token: 'frozen-token-0123456789' },
      // Smaller than what arrives while the shard is frozen, so some is dropped and counted.
      queue: { bufferSize: 20 },
      worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'GET /orders/:id' },
      ],
    });
    tandem = await startTandemProcess(config);
    worker = await startWorkerProcess(config);
    probe = openRedis({ cluster: { nodes } }, 'client');
    await waitUntil(
      async () => probe.status,
      (s) => s === 'ready',
      10_000,
    );
    // A cluster created, then two Tandem processes started: 45 s each at most on a loaded machine.
  }, 150_000);

  afterAll(async () => {
    thaw();
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    probe?.disconnect();
    clusterScript('stop');
    dir.remove();
  }, 45_000);

  it('serves every client without delay, counts what could not be queued, and resumes comparing once the shard thaws', async () => {
    // The queue and the deployment-wide keys are in the slot of `{prefix}`: its master and replica.
    const slot = Number(await probe.cluster('KEYSLOT', storeKeys(prefix).routes));
    const shard = (await probe.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)!;
    const ports = shard.slice(2).map((n) => Number((n as unknown as [string, number])[1]));
    expect(ports.length).toBe(2);
    const pids = await Promise.all(ports.map(pidOf));
    expect(pids.every((p) => p > 0)).toBe(true);

    const load = startLoad(
      tandem.url,
      (i) => (i % 2 ? `/orders/${i}` : `/products/${i}`),
      2,
      (r, i) => r.status === 200 && r.body.includes(i % 2 ? `"/orders/${i}"` : `"/products/${i}"`),
      { pauseMs: 100 },
    );
    await sleep(FREEZE_AFTER_MS);
    const beforeFreeze = await waitUntil(comparedNow, (n) => n > 0, 10_000, 200);
    const sentBefore = load.sent;
    frozen = pids;
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    await sleep(FREEZE_MS);
    const sentFrozen = load.sent - sentBefore;
    const thawedAt = Date.now();
    thaw();

    // Comparisons resume by themselves: compared grows past what it was before the freeze.
    await waitUntil(comparedNow, (n) => n > beforeFreeze, 30_000, 250);
    const resumedMs = Date.now() - thawedAt;
    await sleep(2_000);
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
      30_000,
      250,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\nnow: ${JSON.stringify(await counters().catch(() => null))}`);
    });
    const c = done!.c;
    recordFigures('cluster-frozen-shard', {
      sent: client.sent,
      sentWhileFrozen: sentFrozen,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      p99LatencyMs: client.p99LatencyMs,
      frozenPorts: ports,
      comparisonsResumedMs: resumedMs,
      counters: c,
      failedJobs: done!.q.failed,
    });

    expect(client.errors).toEqual([]);
    expect(client.failed).toBe(0);
    expect(client.ok).toBe(client.sent);
    // Clients kept coming while the shard was frozen (none waited on it) ...
    expect(sentFrozen).toBeGreaterThan(20);
    // ... and none waited anywhere near the freeze (generous: the machine is shared and loaded).
    expect(client.maxLatencyMs).toBeLessThan(FREEZE_MS / 4);
    for (const r of ROUTES) {
      expect(c[r].seen).toBe(ended(c[r]));
      expect(c[r].match).toBe(c[r].compared);
    }
    // What arrived while the queue's shard was frozen and did not fit the buffer was counted by reason.
    expect(ROUTES.reduce((n, r) => n + sum(c[r], 'dropped'), 0)).toBeGreaterThan(0);
    // Both consumers are still up.
    expect(tandem.child.proc.exitCode).toBeNull();
    expect(worker.proc.exitCode).toBeNull();
  }, 120_000);
});
