import IORedis, { Cluster, type ChainableCommander, type ClusterOptions, type Command, type Redis, type RedisOptions } from 'ioredis';
import { hashTagOf } from './key-schema';
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

/** The commands a bounded cluster client (`boundClusterCommands`) has been given and not yet settled. */
const pendingOf = new WeakMap<Cluster, Set<Command>>();

/**
 * Bound every command given to a cluster client to `ms` from the moment it is given, as
 * `commandTimeout` bounds a command once it is written to a node: ioredis' Cluster keeps a
 * command in its own offline queue while it is not ready (reconnecting, slots unknown, every
 * node refused) and re-queues one whose node connection closed, for ever, outside any node's
 * timeout. Such a command fails with `Command timed out` (what a node's timeout says); if it
 * is sent later, its answer is dropped. A command retried (MOVED, ASK, failover) keeps its
 * first deadline.
 */
function boundClusterCommands(cluster: Cluster, ms: number): void {
  const pending = new Set<Command>();
  pendingOf.set(cluster, pending);
  const send = cluster.sendCommand.bind(cluster);
  cluster.sendCommand = ((command: Command, ...rest: unknown[]) => {
    if (!pending.has(command)) {
      pending.add(command);
      const timer = setTimeout(() => command.reject(new Error('Command timed out')), ms);
      const settled = () => (clearTimeout(timer), pending.delete(command));
      command.promise.then(settled, settled);
    }
    return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as typeof cluster.sendCommand;
}

/**
 * Fail at once every command a client opened with a `commandTimeout` is still waiting on
 * (queued or sent), with `error`: for a command that gave up on its Redis (see
 * `openOneShotRedis`). Nothing to do on one Redis, whose `disconnect()` fails them itself;
 * a cluster client keeps them queued across its disconnect.
 *
 * @example
 * abandonCommands(redis, new Error('Connection is closed.')); redis.disconnect();
 */
export function abandonCommands(redis: RedisClient, error: Error): void {
  if (!(redis instanceof Cluster)) return;
  for (const command of pendingOf.get(redis) ?? []) command.reject(error);
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
  return new Cluster(nodes.map(parseNode), options);
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

/**
 * One command of a `pipelineByTag`: `key` is the key whose slot it goes to (for commands
 * of several keys, any of them: they must share its hash tag), `add` queues it.
 */
export interface TaggedCommand {
  key: string;
  add: (pipe: ChainableCommander) => unknown;
}

/**
 * Some of a `pipelineByTag`'s groups were sent and some failed (a master away, a
 * failover): `failed` holds the indexes of the commands whose group failed (not applied,
 * or not known to be), `replies` the others' replies. A writer that retries should retry
 * only the failed commands, or it counts the others twice.
 */
export class PartialPipelineError extends Error {
  constructor(
    readonly reason: unknown,
    readonly failed: ReadonlySet<number>,
    readonly replies: readonly ([Error | null, unknown] | undefined)[],
  ) {
    super(`${failed.size} of ${replies.length} commands failed: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/**
 * Commands in one round trip where the connection allows it, with the replies in the
 * order given (`[error, reply]` each, as ioredis' `exec` gives them). On one Redis they
 * go as one pipeline (one `MULTI` with `atomic`), exactly as before clusters. On a Redis
 * Cluster a pipeline or transaction may only touch one slot, so the commands are grouped
 * by hash tag (`hashTagOf`), one pipeline (or `MULTI`) per tag, sent in parallel:
 * `atomic` then holds per tag (per route under per-route tagging), not across tags.
 * When every group fails it throws the first group's error; when only some do, a
 * `PartialPipelineError` naming the failed commands.
 *
 * @example
 * const replies = await pipelineByTag(redis, routes.map((r) => ({ key: k.counters(r), add: (p) => p.hgetall(k.counters(r)) })));
 */
export async function pipelineByTag(
  redis: RedisClient,
  commands: readonly TaggedCommand[],
  o: { atomic?: boolean } = {},
): Promise<[Error | null, unknown][]> {
  if (!commands.length) return [];
  const open = () => (o.atomic ? redis.multi() : redis.pipeline());
  if (!(redis instanceof Cluster)) {
    const pipe = open();
    for (const c of commands) c.add(pipe);
    return ((await pipe.exec()) ?? []) as [Error | null, unknown][];
  }
  const groups = new Map<string, number[]>();
  commands.forEach((c, i) => {
    const tag = hashTagOf(c.key);
    const g = groups.get(tag);
    if (g) g.push(i);
    else groups.set(tag, [i]);
  });
  const out: [Error | null, unknown][] = new Array(commands.length);
  const failed = new Set<number>();
  let reason: unknown;
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const pipe = open();
      for (const i of indexes) commands[i].add(pipe);
      try {
        const replies = ((await pipe.exec()) ?? []) as [Error | null, unknown][];
        indexes.forEach((i, n) => (out[i] = replies[n] ?? [new Error('no reply'), null]));
      } catch (e) {
        reason ??= e;
        for (const i of indexes) failed.add(i);
      }
    }),
  );
  if (failed.size === commands.length) throw reason;
  if (failed.size) throw new PartialPipelineError(reason, failed, out);
  return out;
}

/**
 * `MGET` of keys that may lie in different slots: one `MGET` per hash tag on a cluster
 * (in parallel), one in all on a single Redis; values in the order of `keys`.
 *
 * @example
 * const [a, b] = await mgetByTag(redis, [k.exchange(id1), k.exchange(id2)]);
 */
export async function mgetByTag(redis: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  if (!keys.length) return [];
  if (!(redis instanceof Cluster)) return redis.mget([...keys]);
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const tag = hashTagOf(k);
    const g = groups.get(tag);
    if (g) g.push(i);
    else groups.set(tag, [i]);
  });
  const out: (string | null)[] = new Array(keys.length).fill(null);
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const values = await redis.mget(indexes.map((i) => keys[i]));
      indexes.forEach((i, n) => (out[i] = values[n] ?? null));
    }),
  );
  return out;
}

/**
 * Error messages of a connection or a cluster failing for a moment, not of Redis refusing
 * a command: a closed or refused connection, a timeout, and the replies a failover or a
 * resharding gives (CLUSTERDOWN, TRYAGAIN, MOVED, ASK, LOADING, READONLY, MASTERDOWN).
 * ioredis may report these while its status still says `ready` (a Cluster client stays
 * ready while one master is down).
 */
const TRANSIENT =
  /Connection is closed|Stream isn't writeable|Command timed out|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available|\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH)\b|^(CLUSTERDOWN|TRYAGAIN|MOVED|ASK|LOADING|READONLY|MASTERDOWN)\b/;

/**
 * Whether `e` says the connection or the cluster failed for a moment (retrying the same
 * command later can succeed), rather than that Redis or BullMQ refused the command itself.
 *
 * @example
 * isTransientRedisError(new Error('Connection is closed.')); // true
 * isTransientRedisError(new Error('ERR Error running script')); // false
 */
export function isTransientRedisError(e: unknown): boolean {
  return e instanceof Error && TRANSIENT.test(e.message);
}
