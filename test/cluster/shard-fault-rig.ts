import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { openRedis, storeKeys, type RedisClient } from '../../src/store';
import { waitUntil } from '../faults/helpers/load';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startTandemProcess, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';

/**
 * What the cluster fault suites (a master killed, a shard frozen) share: a cluster of their
 * own, a real `tandem serve` (with its worker) and a `tandem worker` taking two routes'
 * traffic on it, and the counters and queue read back to check that every accepted exchange
 * ended in exactly one counter.
 */
const SCRIPT = join(__dirname, '../../.ci/redis-cluster');

/** The two routes the rig's Tandem serves (`GET /products/:id`, `GET /orders/:id`). */
export const ROUTES = ['product', 'order'] as const;
export type Counters = Record<string, number>;
/** The sum of a route's counters of one kind (`dropped`, `skipped`). */
export const sum = (c: Counters, kind: string) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith(`${kind}:`) ? n + v : n), 0);
/** How many exchanges of a route ended in a counter. */
export const ended = (c: Counters) => (c.compared ?? 0) + sum(c, 'dropped') + sum(c, 'skipped');

/** `.ci/redis-cluster [stop]` on the cluster of six nodes from `basePort`: the node list it prints. */
export function clusterScriptAt(basePort: number): (...args: string[]) => string {
  return (...args) =>
    execFileSync(SCRIPT, args, {
      env: { ...process.env, TANDEM_CLUSTER_PORT: String(basePort) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 60_000,
    }).trim();
}

export interface ShardFaultRig {
  nodes: string[];
  tandem: { child: Child; url: string };
  worker: Child;
  probe: RedisClient;
  /** Each route's counters, as numbers. */
  counters(): Promise<Record<string, Counters>>;
  /** Compared exchanges of every route, -1 while the cluster does not answer. */
  comparedNow(): Promise<number>;
  /** Jobs not yet done (waiting, active, delayed...) and failed ones. */
  pendingJobs(): Promise<{ pending: number; failed: number }>;
  /**
   * Waits until the queue is drained and every route's exchanges ended in one counter, `sent`
   * in all; rejects after `timeoutMs` with the counters seen last.
   */
  drained(sent: number, timeoutMs: number): Promise<{ c: Record<string, Counters>; q: { pending: number; failed: number } }>;
  stop(): Promise<void>;
}

/**
 * Starts the cluster at `basePort` (6 nodes), the backends (both answering `{ id, price }`)
 * and the two Tandem processes, with a queue buffer of 20 (smaller than what arrives while the
 * fault lasts, so some is dropped and counted).
 *
 * @example
 * const rig = await startShardFaultRig('frozen', 7300, prefix);
 */
export async function startShardFaultRig(name: string, basePort: number, prefix: string): Promise<ShardFaultRig> {
  const clusterScript = clusterScriptAt(basePort);
  const dir = tempDir(name);
  const backends: TestBackend[] = [];
  let probe: RedisClient | undefined;
  let clusterStarted = false;
  const stop = async () => {
    await killAll();
    await Promise.all(backends.map((b) => b.close()));
    probe?.disconnect();
    if (clusterStarted) clusterScript('stop');
    dir.remove();
  };
  try {
    clusterStarted = true;
    const nodes = clusterScript().split(',');
    for (let i = 0; i < 2; i++) backends.push(await startBackend((r) => ({ body: { id: r.url, price: 10 } })));
    const config = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: backends[0].url },
      candidate: { url: backends[1].url, timeoutMs: 1000 },
      redis: { cluster: { nodes }, prefix },
      report: { token: `${name}-token-0123456789` },
      queue: { bufferSize: 20 },
      worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000 },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'GET /orders/:id' },
      ],
    });
    // Two consumers, as in production: the worker inside `tandem serve` and a `tandem worker`.
    const tandem = await startTandemProcess(config);
    const worker = await startWorkerProcess(config);
    const client = (probe = openRedis({ cluster: { nodes } }, 'client'));
    await waitUntil(
      async () => client.status,
      (s) => s === 'ready',
      10_000,
    );
    return { nodes, tandem, worker, probe: client, stop, ...readers(client, prefix) };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

/** The rig's readers of counters and queue on `probe`. */
function readers(probe: RedisClient, prefix: string): Pick<ShardFaultRig, 'counters' | 'comparedNow' | 'pendingJobs' | 'drained'> {
  const counters = async (): Promise<Record<string, Counters>> => {
    const out: Record<string, Counters> = {};
    for (const r of ROUTES) {
      const raw = await probe.hgetall(storeKeys({ prefix, tagging: 'route' }).counters(r));
      out[r] = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    }
    return out;
  };
  const compared = (c: Record<string, Counters>) => ROUTES.reduce((n, r) => n + (c[r].compared ?? 0), 0);
  const pendingJobs = async () => {
    const queue = new Queue('compare', { connection: probe, prefix: storeKeys(prefix).queuePrefix });
    try {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
      return { pending: c.waiting + c.active + c.delayed + c.prioritized + c['waiting-children'], failed: c.failed };
    } finally {
      await queue.close().catch(() => undefined);
    }
  };
  const drained = async (sent: number, timeoutMs: number) => {
    const done = await waitUntil(
      async () => {
        try {
          // the queue first: counters read after it saw no pending job are final
          const q = await pendingJobs();
          return { c: await counters(), q };
        } catch {
          return undefined;
        }
      },
      (s) =>
        !!s &&
        s.q.pending === 0 &&
        ROUTES.every((r) => (s.c[r].seen ?? 0) > 0 && s.c[r].seen === ended(s.c[r])) &&
        ROUTES.reduce((n, r) => n + s.c[r].seen, 0) === sent,
      timeoutMs,
      250,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\nnow: ${JSON.stringify(await counters().catch(() => null))}`);
    });
    return done!;
  };
  const comparedNow = () =>
    counters()
      .then(compared)
      .catch(() => -1);
  return { counters, comparedNow, pendingJobs, drained };
}
