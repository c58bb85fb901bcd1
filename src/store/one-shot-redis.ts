import type { RedisOptions } from 'ioredis';
import { describeRedisTarget, openRedis, type RedisClient, type RedisTarget } from './redis-connection';

/**
 * How long (ms) a one-shot command waits for its Redis to answer a first PING (TCP connect,
 * ioredis' ready check and the PING itself) before giving up: a Redis that accepts the
 * connection and never answers (stopped with SIGSTOP, a stalled host) is otherwise waited
 * for for ever. A live Redis answers in well under a millisecond; 5 s leaves room for a
 * loaded machine (the replay's watch gives up after 3 s without an answer).
 */
export const ONE_SHOT_CHECK_MS = 5000;

/**
 * The per-command timeout (ms) of a one-shot command's connection, by what it sends. Each
 * command is bounded, not the run: a rediff over many records sends many short commands and
 * may take minutes in all. Redis runs one command at a time, so one that takes longer than a
 * few seconds stalls every client (scripts past 5 s are answered BUSY to the others).
 * - `rollout`: small hashes, the audit list, a readiness window: 20 s.
 * - `records` (`rediff`, `suggest --route`): MGETs of up to 100 stored exchanges at a time
 *   (bodies up to the capture cap each, a transfer of many MB on a remote Redis), one record
 *   script per exchange, and one script clearing a route's derived data (a DEL per stored
 *   exchange, O(retained exchanges)): 60 s.
 */
export const ONE_SHOT_COMMAND_MS = { rollout: 20_000, records: 60_000 } as const;

/** The Redis of a one-shot command did not answer its first PING in time. */
export class RedisNotAnswering extends Error {
  override readonly name = 'RedisNotAnswering';
  /**
   * @param redis the target as `describeRedisTarget` shows it (no password)
   * @param reason the connection's last error, or that the PING went unanswered
   */
  constructor(
    readonly redis: string,
    readonly reason: string,
  ) {
    super(`Redis at ${redis} (${reason}) is not answering`);
  }
}

/**
 * A `client` connection for a one-shot CLI command (`rollout`, `rediff`, `suggest --route`,
 * `replay`'s start-up check), never for a service: every command on it fails with ioredis'
 * `Command timed out` after `commandTimeoutMs` (see `ONE_SHOT_COMMAND_MS`), and it is
 * returned only once Redis answered a PING within `ONE_SHOT_CHECK_MS`; else it is closed
 * and `RedisNotAnswering` thrown (refused, closed, or silent). Close it with
 * `closeOneShotRedis`.
 *
 * @example
 * const redis = await openOneShotRedis('redis://127.0.0.1:6379', ONE_SHOT_COMMAND_MS.rollout);
 * try { await redis.hgetall(key) } finally { await closeOneShotRedis(redis) }
 */
export async function openOneShotRedis(
  target: RedisTarget,
  commandTimeoutMs: number,
  extra: RedisOptions = {},
  checkMs = ONE_SHOT_CHECK_MS,
): Promise<RedisClient> {
  const redis = openRedis(target, 'client', { ...extra, commandTimeout: commandTimeoutMs });
  lastOpened = { redis: describeRedisTarget(target), commandTimeoutMs };
  let lastError = '';
  redis.on('error', (e: Error) => (lastError = e.message));
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to PING within ${checkMs / 1000} s`)), checkMs);
  });
  try {
    // A cluster client queues commands until its slots are known, outside ioredis' command timeout: the timer bounds it.
    await Promise.race([redis.ping(), silent]);
  } catch (e) {
    redis.disconnect();
    const own = e instanceof Error ? e.message : String(e);
    throw new RedisNotAnswering(describeRedisTarget(target), lastError && !/Command timed out/.test(lastError) ? lastError : own);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

let lastOpened: { redis: string; commandTimeoutMs: number } | undefined;

/**
 * The Redis (without password) and command timeout (ms) of the last `openOneShotRedis`, for
 * the CLI to name the Redis when a command on it timed out (ioredis' error names neither).
 *
 * @example
 * lastOneShotRedis(); // { redis: 'redis://127.0.0.1:6379', commandTimeoutMs: 20000 }
 */
export function lastOneShotRedis(): { redis: string; commandTimeoutMs: number } | undefined {
  return lastOpened;
}

/**
 * Close a one-shot connection: QUIT (what was sent is answered first) for at most `ms`
 * (default 2000), then drop it; a Redis that stopped answering does not hold the exit.
 *
 * @example
 * await closeOneShotRedis(redis);
 */
export async function closeOneShotRedis(redis: RedisClient, ms = 2000): Promise<void> {
  if (redis.status !== 'ready') return redis.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([redis.quit().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, ms)))]);
  clearTimeout(timer);
  // Not on an ended client: disconnect() there arms ioredis' 2 s socket timer, holding the exit.
  if ((redis.status as string) !== 'end') redis.disconnect();
}
