import { Cluster, type ChainableCommander } from 'ioredis';
import { hashTagOf } from './key-schema';
import type { RedisClient } from './redis-connection';

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
