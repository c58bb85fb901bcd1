import { performance } from 'node:perf_hooks';

/**
 * Budget of a translator call when neither the call nor the translator sets one.
 *
 * @example
 * budgetFor({}); // DEFAULT_TIMEOUT_MS, 50
 */
export const DEFAULT_TIMEOUT_MS = 50;

/**
 * The budget that applies: the call's option, then the translator's, then 50 ms.
 * Non-positive or non-finite values are skipped.
 *
 * @example
 * budgetFor({ timeoutMs: 200 }, { timeoutMs: 10 }); // 10
 */
export function budgetFor(translator: { timeoutMs?: number }, opts: { timeoutMs?: number } = {}): number {
  for (const ms of [opts.timeoutMs, translator.timeoutMs]) {
    if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) return Math.min(ms, 2 ** 31 - 1);
  }
  return DEFAULT_TIMEOUT_MS;
}

/**
 * Run `fn` (sync or async) within `budgetMs`. Rejects with `onTimeout(elapsedMs, false)`
 * when the timer fires first, and with `onTimeout(elapsedMs, true)` when `fn` finished
 * but only after the budget, i.e. it blocked the event loop (a timer cannot interrupt
 * synchronous code, so that is detected after the fact). The timer is always
 * cleared; a late result or rejection is swallowed.
 *
 * @example
 * await runWithBudget(() => slowThing(), 50, (ms) => new Error(`timed out after ${ms} ms`));
 */
export async function runWithBudget<T>(
  fn: () => T | Promise<T>,
  budgetMs: number,
  onTimeout: (elapsedMs: number, blocked: boolean) => Error,
): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const work = Promise.resolve().then(fn);
  work.catch(() => undefined); // a rejection after the timeout has nobody listening
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout(Math.round(performance.now() - started), false)), budgetMs);
  });
  try {
    const result = await Promise.race([work, timeout]);
    const elapsed = performance.now() - started;
    if (elapsed > budgetMs) throw onTimeout(Math.round(elapsed), true);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
