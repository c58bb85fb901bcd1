import type { Logger } from './logger';

/**
 * Await one step of a shutdown for at most `ms`: resolves true when it finished, false
 * when it threw or its deadline passed (logged as one warning naming the step; the step
 * is left behind, the shutdown goes on). Every close step gets one, so an unreachable
 * Redis or a stuck job cannot keep a process from exiting.
 *
 * @example
 * await closeStep(log, 'queue', () => queue.close(), 2000);
 */
export async function closeStep(log: Logger, step: string, fn: () => Promise<unknown> | unknown, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((r) => {
    timer = setTimeout(() => r('late'), ms);
    timer.unref();
  });
  try {
    const out = await Promise.race([
      Promise.resolve()
        .then(fn)
        .then(() => 'done' as const),
      deadline,
    ]);
    if (out === 'late') log.warn({ step, deadlineMs: ms }, 'shutdown step did not finish in time; going on');
    return out === 'done';
  } catch (e) {
    log.warn({ step, err: (e as Error).message }, 'shutdown step failed; going on');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
