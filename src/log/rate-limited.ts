import type { Logger } from './logger';

/**
 * An error listener that logs one line (message and code, never a stack) per distinct
 * message at most once every `intervalMs`, with how many were suppressed since. For
 * `error` events that repeat while a dependency is down (BullMQ and ioredis retry about
 * twice a second while Redis is unreachable): the first is logged at once, the rest
 * summarised, nothing floods the log.
 *
 * @example
 * queue.on('error', rateLimitedErrors(log, 'queue connection error'));
 */
export function rateLimitedErrors(log: Logger, msg: string, intervalMs = 30_000): (err: Error) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (err: Error) => {
    const text = String(err?.message ?? err)
      .split('\n')[0]
      .slice(0, 200);
    const now = Date.now();
    const seen = last.get(text);
    if (seen && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    if (last.size >= 100) last.clear();
    last.set(text, { at: now, suppressed: 0 });
    log.warn({ err: text, code: (err as NodeJS.ErrnoException)?.code, suppressed: seen?.suppressed ?? 0 }, msg);
  };
}
