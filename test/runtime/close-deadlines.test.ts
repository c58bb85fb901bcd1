import { createConfig } from '../../src/config';
import { closeDeadlines, runtimeCloseMs } from '../../src/runtime/close-deadlines';
import { stopDeadlineMs } from '../../src/cli/serve-processes';

/**
 * A shutdown's deadlines nest, each derived from the config: the runtime waits for its
 * worker's whole close (the worker waits for the jobs under way up to their lock, 2 s
 * more), and the primary of `tandem serve --processes` for a serving process's whole stop.
 * An outer deadline shorter than the inner close cut it short: the runtime went on closing
 * the comparer and Redis connections under a job still recording (it once gave the worker
 * 15 s against the 32 s the worker's own close could wait). The deadlines themselves are
 * not timed here (no test waits 39 s); what is checked is how they relate.
 */
describe('shutdown deadlines', () => {
  const config = (lockDurationMs?: number) =>
    createConfig({ legacy: { url: 'http://127.0.0.1:9' }, candidate: { url: 'http://127.0.0.1:9' }, worker: { lockDurationMs } }, {});

  it.each([undefined, 1000, 60_000, 300_000])('the runtime gives its worker more than the jobs wait (lock %p ms)', (lock) => {
    const c = config(lock);
    const jobsWait = c.worker.lockDurationMs + 2000;
    // Beyond the jobs' wait: the partition check, the connection's return, abandoning, probes, the connection (5 of 1 to 2 s).
    expect(closeDeadlines(c).worker).toBeGreaterThanOrEqual(jobsWait + 6000);
    // It follows the lock, not a constant.
    expect(closeDeadlines(config((lock ?? 30_000) + 10_000)).worker - closeDeadlines(c).worker).toBe(10_000);
  });

  it('the primary waits for a serving process longer than its in-flight requests and its runtime can take', () => {
    for (const lock of [1000, 30_000, 300_000]) {
      const c = config(lock);
      expect(runtimeCloseMs(c)).toBe(Object.values(closeDeadlines(c)).reduce((a, b) => a + b, 0));
      expect(stopDeadlineMs(c)).toBeGreaterThan(c.legacy.timeoutMs + 1000 + runtimeCloseMs(c));
    }
  });
});
