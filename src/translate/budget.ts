import { performance, PerformanceObserver } from 'node:perf_hooks';

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

/** Recent garbage-collection pauses of this thread (start and end, ms on `performance.now()`'s clock). */
const gcPauses: { start: number; end: number }[] = [];
let gcObserver: PerformanceObserver | undefined;

/** Start recording GC pauses (once; the observer costs nothing between collections). */
function watchGc(): void {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, end: e.startTime + e.duration });
    if (gcPauses.length > 64) gcPauses.splice(0, gcPauses.length - 64);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** Milliseconds of GC pause inside [from, to]. */
function gcWithin(from: number, to: number): number {
  let ms = 0;
  for (const p of gcPauses) ms += Math.max(0, Math.min(to, p.end) - Math.max(from, p.start));
  return ms;
}

/**
 * Run `fn` (sync or async) within `budgetMs`, blaming the translator only for time it
 * spent itself. Rejects with `onTimeout(elapsedMs, false)` when the timer fires first
 * (a timer that fires more than one budget late, because the process was paused or
 * starved, is re-armed once instead), and with `onTimeout(ownMs, true)` when the
 * synchronous part of `fn` ran past the budget, i.e. it blocked the event loop (a timer
 * cannot interrupt synchronous code, so that is detected after the fact). The
 * synchronous part's own time is its wall time, at most the CPU time the process spent
 * meanwhile (a descheduled process spends none), less the GC pauses inside it (read
 * after one turn of the event loop, when V8 has reported them). Waiting in the event
 * loop's queue is never counted. The timer is always cleared; a late result or
 * rejection is swallowed.
 *
 * @example
 * await runWithBudget(() => slowThing(), 50, (ms) => new Error(`timed out after ${ms} ms`));
 */
export async function runWithBudget<T>(
  fn: () => T | Promise<T>,
  budgetMs: number,
  onTimeout: (elapsedMs: number, blocked: boolean) => Error,
): Promise<T> {
  watchGc();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let own = 0;
  let syncStart = 0;
  let syncEnd = 0;
  const work = Promise.resolve().then(() => {
    const cpu = process.cpuUsage();
    syncStart = performance.now();
    try {
      return fn();
    } finally {
      syncEnd = performance.now();
      const used = process.cpuUsage(cpu);
      own = Math.min(syncEnd - syncStart, (used.user + used.system) / 1000);
    }
  });
  work.catch(() => undefined); // a rejection after the timeout has nobody listening
  const timeout = new Promise<never>((_, reject) => {
    let rearmed = false;
    const arm = (ms: number, due: number) => {
      timer = setTimeout(() => {
        const now = performance.now();
        if (!rearmed && now - due > budgetMs) {
          rearmed = true; // the process was away, not the translator: one more budget
          return arm(budgetMs, now + budgetMs);
        }
        reject(onTimeout(Math.round(now - started), false));
      }, ms);
    };
    arm(budgetMs, started + budgetMs);
  });
  try {
    const result = await Promise.race([work, timeout]);
    clearTimeout(timer);
    timer = undefined;
    if (own > budgetMs) {
      await new Promise((r) => setImmediate(r)); // let V8 report the GC pauses of the call
      own -= gcWithin(syncStart, syncEnd);
      if (own > budgetMs) throw onTimeout(Math.round(own), true);
    }
    return result;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
