import IORedis, { Cluster, type ClusterOptions, type Redis, type RedisOptions } from 'ioredis';
import { boundClusterCommands } from './cluster-command-bounds';
import { settledConnect } from './cluster-connect';
import { redactRedisUrl } from './redis-url-redaction';

/**
 * Where Tandem's Redis is: a `redis://` / `rediss://` URL, or the seed nodes
 * (`host:port`) of a Redis Cluster (ioredis discovers the rest of the cluster from them).
 */
export type RedisTarget = string | { readonly cluster: { readonly nodes: readonly string[] } };

/** A connection opened by `openRedis`: one Redis, or an ioredis Cluster client. */
export type RedisClient = Redis | Cluster;

/** The role of a connection; it picks the options each user needs. */
export type RedisRole = 'producer' | 'worker' | 'client';

/**
 * The target of a resolved `redis` config section: its cluster when it has one, else its
 * URL; undefined when neither (`tandem serve` then starts its own redis-server).
 *
 * @example
 * const target = redisTargetOf(config.redis); // { cluster: { nodes: ['127.0.0.1:7000'] } }
 */
export function redisTargetOf(redis: {
  readonly url?: string;
  readonly cluster?: { readonly nodes: readonly string[] };
}): RedisTarget | undefined {
  return redis.cluster ? { cluster: redis.cluster } : redis.url;
}

/**
 * A target as logs and `tandem config check` show it: the URL without its password (see
 * `redactRedisUrl`), or `cluster host:port,...` (seed nodes carry no credential).
 */
export function describeRedisTarget(target: RedisTarget): string {
  return typeof target === 'string' ? redactRedisUrl(target).shown : `cluster ${target.cluster.nodes.join(',')}`;
}

/**
 * Open the one kind of connection every part of Tandem uses. `role` picks the options:
 * - `producer`: fails fast while Redis is away (the ingress keeps its own bounded buffer);
 * - `worker`: `maxRetriesPerRequest: null`, as BullMQ workers require;
 * - `client`: ordinary commands (report API, CLI).
 *
 * With a cluster target it returns an ioredis `Cluster` with the options BullMQ documents
 * for clusters: the role's options go to every node connection (`redisOptions`, where
 * BullMQ checks `maxRetriesPerRequest: null` for workers), the ready check waits for
 * `cluster_state:ok`, and a producer's commands fail fast (no offline queue) while the
 * cluster is not ready. Every multi-key script and transaction touches keys of one hash
 * tag (see key-schema.ts); what spans tags goes through `pipelineByTag` / `mgetByTag`.
 *
 * @example
 * const redis = openRedis('redis://127.0.0.1:6379', 'client');
 * const cluster = openRedis({ cluster: { nodes: ['127.0.0.1:7000', '127.0.0.1:7001'] } }, 'worker');
 */
export function openRedis(target: string, role: RedisRole, extra?: RedisOptions): Redis;
export function openRedis(target: RedisTarget, role: RedisRole, extra?: RedisOptions): RedisClient;
export function openRedis(target: RedisTarget, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const base: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...extra,
  };
  if (role === 'producer') Object.assign(base, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  if (role === 'worker') Object.assign(base, { maxRetriesPerRequest: null });
  if (role === 'client') Object.assign(base, { maxRetriesPerRequest: 2 });
  const redis = typeof target === 'string' ? new IORedis(target, base) : openCluster(target.cluster.nodes, base);
  // A cluster client's own queue (slots unknown, reconnecting) is outside its nodes' command timeout.
  if (redis instanceof Cluster && base.commandTimeout !== undefined) boundClusterCommands(redis, base.commandTimeout);
  // Errors surface through command results and readiness; without a listener ioredis logs them itself.
  // A client's last one is kept for the CLI, whose one-line error would else be ioredis' "max retries".
  redis.on(
    'error',
    role === 'client' ? (e: Error) => (lastClientError = { target: describeRedisTarget(target), message: e.message }) : () => undefined,
  );
  return redis;
}

let lastClientError: { target: string; message: string } | undefined;

/**
 * The last connection error of a `client` connection (its target without password, and the
 * error), for a command that gave up on Redis to say which Redis and why.
 *
 * @example
 * lastClientRedisError(); // { target: 'redis://127.0.0.1:1', message: 'connect ECONNREFUSED 127.0.0.1:1' }
 */
export function lastClientRedisError(): { target: string; message: string } | undefined {
  return lastClientError;
}

function openCluster(nodes: readonly string[], base: RedisOptions): Cluster {
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = base;
  const options: ClusterOptions = {
    lazyConnect,
    enableReadyCheck: true,
    // The cluster client's own queue while slots are unknown (a producer refuses instead).
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Reconnecting the whole cluster client: the role's pace, never giving up.
    clusterRetryStrategy: (times) => retryStrategy?.(times) ?? Math.min(50 * times, 1000),
    // A failover or resharding answers MOVED/ASK/CLUSTERDOWN for a moment: retry, bounded.
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    redisOptions: nodeOptions,
  };
  // Its duplicates (BullMQ's workers run on them) get settledConnect too, not closedForGood: BullMQ closes and reopens them.
  return closedForGood(settledConnect(new Cluster(nodes.map(parseNode), options)));
}

/**
 * A cluster client that stays closed once `quit()` or `disconnect()` was called. ioredis
 * (5.x) reopens one closed between fetching its slots and its ready check: the `refresh`
 * that follows undoes the close, the client becomes ready and arms its slots-refresh timer,
 * and the process never exits (seen: jest's cluster pass "did not exit"). Such a client is
 * disconnected again as soon as it is ready.
 */
function closedForGood(cluster: Cluster): Cluster {
  let closed = false;
  const quit = cluster.quit.bind(cluster);
  const disconnect = cluster.disconnect.bind(cluster);
  cluster.quit = ((callback?: Parameters<Cluster['quit']>[0]) => ((closed = true), quit(callback))) as Cluster['quit'];
  cluster.disconnect = (reconnect = false) => {
    if (!reconnect) closed = true;
    disconnect(reconnect);
  };
  cluster.on('ready', () => closed && disconnect());
  return cluster;
}

/** `host:port` (or `[v6]:port`) as ioredis takes it. */
function parseNode(node: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(node.trim());
  if (!m) throw new Error(`redis cluster node "${node}" is not host:port`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * The servers that hold data: the client itself for one Redis, every master of a
 * cluster. Commands that take no key (`SCAN`, `INFO`) go to a random node of a cluster,
 * so whoever needs them from every shard asks each of these.
 *
 * @example
 * for (const node of dataNodes(redis)) await node.scan('0', 'MATCH', pattern);
 */
export function dataNodes(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Every key matching `pattern` (a SCAN `MATCH` glob), from every data node, `count` per
 * round trip. SCAN takes no key, so on a cluster it must ask each master.
 *
 * @example
 * const found = await scanKeys(redis, k.familyPattern(family, route));
 */
export async function scanKeys(redis: RedisClient, pattern: string, count = 1000): Promise<string[]> {
  const out: string[] = [];
  for (const node of dataNodes(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      out.push(...found);
    } while (cursor !== '0');
  }
  return out;
}
