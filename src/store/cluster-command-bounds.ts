import { Cluster, type Command } from 'ioredis';
import type { RedisClient } from './redis-connection';

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
export function boundClusterCommands(cluster: Cluster, ms: number): void {
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
