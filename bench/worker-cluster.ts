import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import IORedis, { Cluster } from 'ioredis';
import { createConfig, type TandemOptions } from '../src/config';
import { createProducerFor, createQueueFor, createStoreFor } from '../src/runtime/factories';
import { dataNodes, openRedis, type RedisClient, type RedisTarget } from '../src/store';
import { startChild } from './children';
import { shebangEnv, shebangNodeFlags } from './tandem-target';
import { newExchangeId } from '../src/records';
import { benchExchange, caseName, type CompareCase } from './exchanges';

/** The Redis load of one Redis server (a master, or the single Redis) over a run. */
export interface ShardLoad {
  /** `host:port`. */
  node: string;
  /** Commands it ran (INFO commandstats calls; commands inside scripts count too, as Redis 7 counts them). */
  ops: number;
  opsPerExchange: number;
  /** Its part of all commands, 0-1 (1/3 each is an even spread over three masters). */
  share: number;
  /** CPU (user + sys) it used, ms per exchange. */
  cpuMsPerExchange: number;
  /** Routes whose keys it holds (by their counters key's slot). */
  routes: number;
  /** Queue partitions it holds. */
  partitions: number;
}

/** What an exchange costs Redis, from queueing it to its result recorded, on one target. */
export interface RedisCostResult {
  target: 'single Redis' | 'cluster';
  case: string;
  exchanges: number;
  routes: number;
  /** Extra config the run used (on a cluster: `queue.partitions`, when it exists). */
  config: Record<string, unknown>;
  /** Commands per exchange, all masters together. */
  opsPerExchange: number;
  /** Redis CPU per exchange, all masters together, ms. */
  cpuMsPerExchange: number;
  /** Replicas' CPU per exchange (replication), ms; 0 on a single Redis. */
  replicaCpuMsPerExchange: number;
  /** Redis CPU of all masters while idle (cron, cluster bus), ms per second, measured for 3 s before the run: part of the per-exchange figures. */
  idleCpuMsPerSecond: number;
  /** Seconds from the first exchange queued to the last result recorded. */
  seconds: number;
  /** One per master (one for a single Redis), by node. */
  shards: ShardLoad[];
  /** The busiest master's share of the commands over an even share (1 = perfectly even, 3 = all on one of three). */
  spread: number;
  /** Exchanges compared per second by one `tandem worker`, 10% to 90% of the results. */
  perSecond: number;
}

/** Commands of the measurement itself or of no exchange, left out of the counts. */
const NOT_COUNTED = new Set(['info', 'config', 'cluster', 'ping', 'command', 'client', 'hmget', 'select', 'readonly', 'hello', 'auth']);

/** Per command: calls, from `INFO commandstats`. */
function commandCalls(info: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1].toLowerCase(), Number(m[2]));
  return out;
}

function countedCalls(info: string): number {
  let n = 0;
  for (const [cmd, calls] of commandCalls(info)) if (!NOT_COUNTED.has(cmd.split('|')[0])) n += calls;
  return n;
}

/** used_cpu_user + used_cpu_sys, ms. */
function cpuMs(info: string): number {
  const v = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (v('used_cpu_user') + v('used_cpu_sys')) * 1000;
}

/**
 * Queue `exchanges` exchanges of a case spread round-robin over `routes` routes through
 * the ingress's own producer (the config's queue and partitions), run one `tandem worker`
 * (pinned to core 0) until every result is recorded, and read what Redis did from each
 * server: `INFO commandstats` (reset before) and `INFO cpu` (before and after). On a
 * cluster, masters and replicas are found from `CLUSTER NODES`.
 *
 * @example
 * const r = await redisCostBench({ cluster: { nodes: ['127.0.0.1:7200'] } }, { root, workDir }, { size: '2k', differ: true }, 3000, 12);
 */
export async function redisCostBench(
  target: RedisTarget,
  env: { root: string; workDir: string },
  c: CompareCase,
  exchanges: number,
  routes: number,
  extra: Partial<TandemOptions> = {},
): Promise<RedisCostResult> {
  const onCluster = typeof target !== 'string';
  const prefix = `bench-cost-${c.size}-${c.differ ? 'd' : 'e'}-${onCluster ? 'c' : 's'}`;
  const routeNames = Array.from({ length: routes }, (_, i) => `route-${i}`);
  const options = {
    legacy: { url: 'http://127.0.0.1:9' },
    candidate: { url: 'http://127.0.0.1:9' },
    redis: { ...(onCluster ? { cluster: { nodes: [...target.cluster.nodes] } } : { url: target }), prefix },
    report: { token: 'bench-report-token-0123456789' },
    log: { level: 'warn' },
    ...extra,
    // Room for every exchange, in lone jobs or in packs.
    queue: { bufferSize: exchanges + 1, maxBacklog: exchanges + 1, maxBacklogExchanges: exchanges + 1, ...extra.queue },
    routes: routeNames.map((name) => ({ name, match: `GET /${name}/:size/:id` })),
  } as TandemOptions;
  const config = createConfig(options);
  const redis = openRedis(target, 'client');
  await ready(redis);
  const servers = await serversOf(redis);
  const admin = servers.all.map((s) => ({ ...s, conn: new IORedis({ host: s.host, port: s.port, maxRetriesPerRequest: 1 }) }));
  const producerRedis = openRedis(target, 'producer');
  await ready(producerRedis);
  const queue = createQueueFor(config, producerRedis);
  const store = createStoreFor(config, redis);
  try {
    const masterCpu = async () =>
      (await Promise.all(admin.filter((a) => a.master).map(async (a) => cpuMs(await a.conn.info('cpu'))))).reduce((x, y) => x + y, 0);
    const idleFrom = await masterCpu();
    await new Promise((r) => setTimeout(r, 3000));
    const idleCpuMsPerSecond = round(((await masterCpu()) - idleFrom) / 3, 2);
    await Promise.all(admin.map((a) => a.conn.config('RESETSTAT')));
    const cpuBefore = await Promise.all(admin.map(async (a) => cpuMs(await a.conn.info('cpu'))));
    const started = performance.now();

    const producer = createProducerFor(config, () => queue, {
      isConnected: () => producerRedis.status === 'ready',
      redis: () => producerRedis,
      onDrop: (route, reason) => {
        throw new Error(`an exchange of ${route} was dropped (${reason}) while queueing the benchmark's exchanges`);
      },
    });
    // Ids as the ingress makes them: each starts with its route's mark (its slot under per-route tags).
    for (let i = 0; i < exchanges; i++) {
      const route = routeNames[i % routes];
      producer.enqueue(benchExchange(newExchangeId(Date.now(), route), c, route));
    }
    const lost = await producer.close(120_000);
    if (lost) throw new Error(`${lost} exchanges could not be queued`);

    const file = join(env.workDir, `${prefix}.json`);
    writeFileSync(file, JSON.stringify(options));
    const { child } = await startChild(
      `tandem worker (${caseName(c)}, ${onCluster ? 'cluster' : 'single Redis'})`,
      process.execPath,
      [...shebangNodeFlags(join(env.root, 'bin', 'tandem.js')), join(env.root, 'bin', 'tandem.js'), 'worker', '-c', file],
      { core: 0 },
      { env: shebangEnv(join(env.root, 'bin', 'tandem.js')) },
    );
    let at: number[];
    try {
      // HMGET (left out of the counts) on each route's counters; routes sit in several slots.
      const compared = async () => {
        const replies = await Promise.all(routeNames.map((r) => redis.hmget(store.keys.counters(r), 'compared')));
        return replies.reduce((sum, [v]) => sum + Number(v ?? 0), 0);
      };
      at = await timesAt(compared, [0.1 * exchanges, 0.9 * exchanges, exchanges], 300_000);
    } finally {
      await child.stop(5000);
    }

    const after = await Promise.all(
      admin.map(async (a) => ({ ops: countedCalls(await a.conn.info('commandstats')), cpu: cpuMs(await a.conn.info('cpu')) })),
    );
    const masters = admin.map((a, i) => ({ ...a, ...after[i], cpu: after[i].cpu - cpuBefore[i] })).filter((a) => a.master);
    const replicas = admin.map((a, i) => ({ ...a, cpu: after[i].cpu - cpuBefore[i] })).filter((a) => !a.master);
    const totalOps = masters.reduce((s, m) => s + m.ops, 0);
    // Where the routes and partitions sit: the master serving each one's slot.
    const holder = await slotHolder(redis);
    const routesAt = new Map<string, number>();
    const partitionsAt = new Map<string, number>();
    const bump = (m: Map<string, number>, node: string) => m.set(node, (m.get(node) ?? 0) + 1);
    for (const r of routeNames) bump(routesAt, holder(await keySlot(redis, store.keys.counters(r))));
    for (let i = 0; i < config.queue.partitions; i++) bump(partitionsAt, holder(await keySlot(redis, `${store.keys.queueTag(i)}x`)));
    const shards: ShardLoad[] = masters.map((m) => ({
      node: `${m.host}:${m.port}`,
      ops: m.ops,
      opsPerExchange: round(m.ops / exchanges),
      share: round(m.ops / totalOps, 3),
      cpuMsPerExchange: round(m.cpu / exchanges, 3),
      routes: routesAt.get(`${m.host}:${m.port}`) ?? 0,
      partitions: partitionsAt.get(`${m.host}:${m.port}`) ?? 0,
    }));
    return {
      target: onCluster ? 'cluster' : 'single Redis',
      case: caseName(c),
      exchanges,
      routes,
      config: { queue: { partitions: config.queue.partitions, spread: config.queue.spread }, tagging: config.redis.tagging },
      opsPerExchange: round(totalOps / exchanges),
      cpuMsPerExchange: round(masters.reduce((s, m) => s + m.cpu, 0) / exchanges, 3),
      replicaCpuMsPerExchange: round(replicas.reduce((s, m) => s + m.cpu, 0) / exchanges, 3),
      idleCpuMsPerSecond,
      seconds: round((at[2] - started) / 1000),
      shards,
      spread: round(Math.max(...shards.map((s) => s.ops / totalOps)) * shards.length, 2),
      perSecond: Math.round((0.8 * exchanges) / ((at[1] - at[0]) / 1000)),
    };
  } finally {
    await queue.close().catch(() => undefined);
    admin.forEach((a) => a.conn.disconnect());
    await producerRedis.quit().catch(() => producerRedis.disconnect());
    await redis.quit().catch(() => redis.disconnect());
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function ready(redis: RedisClient): Promise<void> {
  return new Promise((done, fail) => {
    if (redis.status === 'ready') return done();
    const timer = setTimeout(() => fail(new Error('Redis was not ready within 15 s')), 15_000);
    redis.once('ready', () => (clearTimeout(timer), done()));
  });
}

/** The slot of a key (CLUSTER KEYSLOT; 0 on a single Redis). */
async function keySlot(redis: RedisClient, key: string): Promise<number> {
  return redis instanceof Cluster ? Number(await dataNodes(redis)[0].cluster('KEYSLOT', key)) : 0;
}

/** slot -> `host:port` of the master serving it (the single Redis for every slot). */
async function slotHolder(redis: RedisClient): Promise<(slot: number) => string> {
  const [first] = dataNodes(redis);
  if (!(redis instanceof Cluster)) return () => `${first.options.host ?? '127.0.0.1'}:${first.options.port ?? 6379}`;
  const ranges = (await first.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  return (slot) => {
    const r = ranges.find(([from, to]) => slot >= from && slot <= to);
    return r ? `${r[2][0]}:${r[2][1]}` : '?';
  };
}

/** Every server of the target: the single Redis, or each master and replica of a cluster. */
async function serversOf(redis: RedisClient): Promise<{ all: { host: string; port: number; master: boolean }[] }> {
  const [first] = dataNodes(redis);
  if (!(redis instanceof Cluster))
    return { all: [{ host: first.options.host ?? '127.0.0.1', port: first.options.port ?? 6379, master: true }] };
  const lines = String(await first.cluster('NODES'))
    .trim()
    .split('\n');
  return {
    all: lines.map((l) => {
      const [, addr, flags] = l.split(' ');
      const [host, port] = addr.split('@')[0].split(':');
      return { host, port: Number(port), master: flags.includes('master') };
    }),
  };
}

/** Poll `count` until it passes each threshold; the times (ms) each was first passed. */
async function timesAt(count: () => Promise<number>, thresholds: number[], timeoutMs: number): Promise<number[]> {
  const times: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (times.length < thresholds.length) {
    if (Date.now() > deadline) throw new Error(`the worker compared too few exchanges within ${timeoutMs} ms`);
    const n = await count();
    const now = performance.now();
    while (times.length < thresholds.length && n >= thresholds[times.length]) times.push(now);
    await new Promise((r) => setTimeout(r, 100));
  }
  return times;
}

/** A private Redis Cluster for the benchmark (`.ci/redis-cluster` on its own ports), stopped by `stop()`. */
export interface BenchCluster {
  nodes: string[];
  stop(): void;
}

/**
 * Start three masters with one replica each on 127.0.0.1 ports `base`..`base+5` (Debian's
 * redis-server, through `.ci/redis-cluster`), all pinned to core 1 as the single bench
 * Redis is, so the worker on core 0 measures the same way against both.
 *
 * @example
 * const cluster = startBenchCluster(root, 7200); cluster.stop();
 */
export function startBenchCluster(root: string, base: number): BenchCluster {
  const script = join(root, '.ci', 'redis-cluster');
  const env = { ...process.env, TANDEM_CLUSTER_PORT: String(base) };
  const nodes = execFileSync(script, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 90_000 })
    .trim()
    .split(',');
  for (const node of nodes) {
    const port = node.split(':')[1];
    const pid = /process_id:(\d+)/.exec(execFileSync('redis-cli', ['-p', port, 'info', 'server'], { encoding: 'utf8' }))?.[1];
    if (pid) spawnSync('taskset', ['-a', '-cp', '1', pid]);
  }
  // A reused cluster may hold an earlier run's keys (replicas refuse FLUSHALL and follow).
  for (const node of nodes) spawnSync('redis-cli', ['-p', node.split(':')[1], 'flushall'], { stdio: 'ignore' });
  return { nodes, stop: () => void execFileSync(script, ['stop'], { env, stdio: 'ignore' }) };
}
