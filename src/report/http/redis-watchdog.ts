import type { NextFunction, Request, Response } from 'express';
import { dataNodes, type RedisClient } from '../../store';
import { CHECK_RETRY_AFTER_S, REDIS_CHECK_TIMEOUT_MS, withinDeadline } from './redis-deadline';

/** Options of `redisWatchdog` (milliseconds); the defaults are what the report uses. */
export interface RedisWatchdogOptions {
  /** How long a request may wait before Redis is asked whether it still answers (and again after each answer). */
  checkAfterMs?: number;
  /** How long that PING may take before Redis counts as not answering. */
  pingTimeoutMs?: number;
  /** How long a request may wait for the results store to be opened at all (the start). */
  notReadyMs?: number;
}

/** How long a report API request waits before its watchdog asks Redis whether it still answers. */
export const REPORT_REDIS_CHECK_AFTER_MS = 1000;

/**
 * A bound on every report API request against a Redis that holds its connection open
 * without answering (`CLIENT PAUSE`, a `DEBUG SLEEP`, a stalled host, a partition without
 * a reset): ioredis waits for ever there, and so would the request. A request still
 * waiting after `checkAfterMs` has Redis PINGed on the store's connection (each master of
 * a cluster), behind whatever the request is waiting for; if no answer comes within
 * `pingTimeoutMs` (`REDIS_CHECK_TIMEOUT_MS`, 2 s), it answers 503
 * `{ error: 'unavailable', message }` with `Retry-After` (a response already streaming,
 * an export, is cut off instead). A request that is slow while Redis answers (a long
 * export, a rediff, a replay waiting on the candidate) is checked again and left to run.
 *
 * Nothing is cancelled: commands already sent still run when Redis answers again, so a
 * write answered 503 (a rule change, a rediff, which goes on under its lock) may still
 * land; read the state again before repeating it. So a request waits at most about
 * `checkAfterMs + pingTimeoutMs` (3 s) once Redis stops answering.
 *
 * @example
 * api.use(redisWatchdog(() => rt.store().redis)); // `redis` may throw while the store is not open yet
 */
export function redisWatchdog(redis: () => RedisClient, o: RedisWatchdogOptions = {}) {
  const checkAfterMs = o.checkAfterMs ?? REPORT_REDIS_CHECK_AFTER_MS;
  const pingTimeoutMs = o.pingTimeoutMs ?? REDIS_CHECK_TIMEOUT_MS;
  const notReadyMs = o.notReadyMs ?? CHECK_RETRY_AFTER_S * 1000;
  return function tandemRedisWatchdog(_req: Request, res: Response, next: NextFunction): void {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const stop = () => {
      done = true;
      clearTimeout(timer);
    };
    const arm = () => {
      if (done) return;
      timer = setTimeout(() => void check(), checkAfterMs);
      timer.unref();
    };
    const check = async () => {
      let client: RedisClient;
      try {
        client = redis();
      } catch {
        // Still starting: wait for the store a while, then say so.
        if (Date.now() - started < notReadyMs) return arm();
        return unavailable(`the results store (Redis) is not open yet after ${notReadyMs} ms; the report answers once it is`);
      }
      try {
        await withinDeadline(Promise.all(dataNodes(client).map((n) => n.ping())), pingTimeoutMs, 'the report request');
      } catch (e) {
        if (/got no answer/.test((e as Error).message))
          return unavailable(
            `the results store (Redis) is not answering (no answer to a PING within ${pingTimeoutMs} ms); ` +
              'the report answers again once it does (a change asked for may still be applied then)',
          );
        // Refused at once (Redis away): the request's own command fails the same way and answers itself.
      }
      arm();
    };
    const unavailable = (message: string) => {
      if (done) return;
      stop();
      // The route's own answer may still come (or throw) when Redis answers: it lands nowhere.
      res.on('error', () => undefined);
      if (res.headersSent) return void res.destroy();
      res.set('retry-after', String(CHECK_RETRY_AFTER_S));
      res.status(503).json({ error: 'unavailable', message });
    };
    res.once('finish', stop);
    res.once('close', stop);
    arm();
    next();
  };
}
