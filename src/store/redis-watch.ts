import { describeRedisTarget, openRedis, type RedisTarget } from './redis-connection';

/** A Redis that stopped answering: where it is (without its password) and the last error seen. */
export interface RedisLost {
  /** The target as `describeRedisTarget` shows it: `redis://127.0.0.1:6379`, `cluster host:port,...`. */
  redis: string;
  /** The connection's last error (`connect ECONNREFUSED 127.0.0.1:6379`), or that PING went unanswered. */
  reason: string;
}

/** Stops a `watchRedis` (closes its connection); idempotent. */
export interface RedisWatch {
  stop(): void;
}

/**
 * Watch whether the Redis at `target` answers, for a command that waits on what Redis
 * carries (a replay waiting for its comparisons): a PING every `intervalMs` (default 500)
 * on a connection of its own that never queues commands while disconnected. Once no PING has
 * been answered for `lostAfterMs` (default 3000: a refused or closed connection, or a Redis
 * that holds the connection and does not answer), `onLost` is called, once. A Redis back
 * within that window is not lost; an error reply (`BUSY` from a Redis running a long script,
 * `LOADING`) is an answer. The reason `onLost` is given is the last error since the last
 * answer (one from before it, e.g. a cluster not ready yet at start, is forgotten). The timer
 * never keeps the process alive.
 *
 * @example
 * const watch = watchRedis('redis://127.0.0.1:6379', { onLost: (l) => console.error(`${l.redis}: ${l.reason}`) });
 * watch.stop();
 */
export function watchRedis(
  target: RedisTarget,
  o: { onLost(lost: RedisLost): void; lostAfterMs?: number; intervalMs?: number },
): RedisWatch {
  const lostAfterMs = o.lostAfterMs ?? 3000;
  const redis = openRedis(target, 'client', { enableOfflineQueue: false });
  let lastError = '';
  redis.on('error', (e: Error) => (lastError = e.message));
  let lastAnswer = Date.now();
  let pinging = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    redis.disconnect();
  };
  const timer = setInterval(() => {
    if (Date.now() - lastAnswer > lostAfterMs) {
      stop();
      return o.onLost({ redis: describeRedisTarget(target), reason: lastError || `no answer to PING for ${lostAfterMs / 1000} s` });
    }
    if (pinging) return;
    pinging = true;
    // An answer forgets the errors before it: the reason given is what went wrong since the last answer.
    const answered = () => ((lastAnswer = Date.now()), (lastError = ''));
    redis.ping().then(
      () => ((pinging = false), answered()),
      // An error reply is an answer: a Redis busy with a long script answers `BUSY` (past its
      // busy-reply-threshold, 5 s by default), one loading its data `LOADING`.
      (e: Error) => ((pinging = false), e.name === 'ReplyError' ? answered() : (lastError ||= e.message)),
    );
  }, o.intervalMs ?? 500);
  timer.unref();
  return { stop };
}
