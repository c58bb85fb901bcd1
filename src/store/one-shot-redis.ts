import type { RedisOptions } from 'ioredis';
import { abandonCommands } from './cluster-command-bounds';
import { describeRedisTarget, openRedis, type RedisClient, type RedisTarget } from './redis-connection';
import { watchRedis, type RedisLost, type RedisWatch } from './redis-watch';

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

/**
 * How long (ms) a one-shot command's Redis may leave PINGs unanswered mid-run (a PING every
 * 0.5 s on a connection of its own, see `watchRedis`) before the command stops: a Redis
 * frozen or gone after the first PING is noticed within about 8 s, not after a command's
 * timeout (`ONE_SHOT_COMMAND_MS`, up to 60 s, and as long again for the clean-up command
 * after it). Not 3 s, as `tandem replay` (which only waits on Redis) uses: a legitimate
 * long command holds Redis too. A script running longer than Redis' busy-reply threshold
 * (5 s by default) makes Redis answer `BUSY`, which counts as an answer, so 8 s leaves a
 * script room to reach it; a single command that holds Redis silently for 8 s (a `DEL` of a
 * huge key, `DEBUG SLEEP`) is taken for a frozen Redis.
 */
export const ONE_SHOT_LOST_MS = 8000;

/**
 * A one-shot command's Redis stopped answering after its first PING (see `ONE_SHOT_LOST_MS`):
 * the commands waiting on it were failed, and `notDone` says what the command did not do.
 */
export class RedisStoppedAnswering extends Error {
  override readonly name = 'RedisStoppedAnswering';
  /**
   * @param lost where (no password) and why (`no answer to PING for 8 s`, the connection's last error)
   * @param notDone what the command left undone, a sentence without its final period
   */
  constructor(
    readonly lost: RedisLost,
    readonly notDone: string,
  ) {
    super(`Redis at ${lost.redis} (${lost.reason}) stopped answering: ${notDone}`);
  }
}

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
 * and `RedisNotAnswering` thrown (refused, closed, or silent). From then on a watch PINGs
 * it: unanswered for `ONE_SHOT_LOST_MS`, the connection is dropped (every command waiting
 * on it, and any sent after, fails at once) and `oneShotLost(redis)` tells where and why,
 * so the command can say what it did not do (`RedisStoppedAnswering`). Close it with
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
  lostMs = ONE_SHOT_LOST_MS,
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
  const watch = watchRedis(target, {
    lostAfterMs: lostMs,
    onLost: (lost) => {
      losses.set(redis, lost);
      // A cluster client keeps its queued commands across a disconnect: failed here.
      abandonCommands(redis, new Error('Connection is closed.'));
      redis.disconnect();
    },
  });
  watches.set(redis, watch);
  return redis;
}

const watches = new WeakMap<RedisClient, RedisWatch>();
const losses = new WeakMap<RedisClient, RedisLost>();

/**
 * Whether the watch of a one-shot connection found its Redis stopped answering (and dropped
 * the connection): where (no password) and why; undefined while it answers.
 *
 * @example
 * catch (e) { const lost = oneShotLost(redis); if (lost) throw new RedisStoppedAnswering(lost, 'nothing was changed') }
 */
export function oneShotLost(redis: RedisClient): RedisLost | undefined {
  return losses.get(redis);
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
  watches.get(redis)?.stop();
  if (redis.status !== 'ready') return redis.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([redis.quit().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, ms)))]);
  clearTimeout(timer);
  // Not on an ended client: disconnect() there arms ioredis' 2 s socket timer, holding the exit.
  if ((redis.status as string) !== 'end') redis.disconnect();
}
