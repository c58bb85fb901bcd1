import { useTestStore } from '../support/redis';
import { capturedLog, failedJobCounts } from './failed-job-counts-rig';

/** A failed job's drop count is never lost silently: sent again until Redis takes it, logged when the worker stops first. */
describe('FailedJobCounts: the counts of failed jobs, on a Redis that refuses them for a while', () => {
  const t = useTestStore('failedcounts');
  const { lines, log } = capturedLog();
  const counts = () => failedJobCounts(t.store, log, 50);

  it('holds a refused count and writes it, once, when Redis takes it', async () => {
    const c = counts();
    await t.redis.set(t.store.keys.counters('later'), 'not a hash');
    c.add([
      { route: 'later', id: 'x-1' },
      { route: 'later', id: 'x-2' },
    ]);
    await c.flush();
    expect(c.unwritten).toBe(2);
    c.add([{ route: 'later', id: 'x-1' }]); // the same exchange again (a second worker's failed event): counted once
    await t.redis.del(t.store.keys.counters('later'));
    for (let i = 0; i < 100 && c.unwritten; i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.unwritten).toBe(0);
    expect((await t.store.counters(['later'])).later).toEqual({ 'dropped:job_failed': 2 });
    expect(await c.close()).toBe(0);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'failed job counts not written: sent again until Redis takes them',
    ]);
  });

  it('logs as an error what Redis never took before the worker stopped', async () => {
    lines.length = 0;
    const c = counts();
    await t.redis.set(t.store.keys.counters('never'), 'not a hash');
    c.add([{ route: 'never', id: 'y-1' }]);
    expect(await c.close()).toBe(1);
    expect(lines.filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({ exchanges: 1, msg: 'failed job counts lost: Redis did not take them before the worker stopped' }),
    ]);
  });
});
