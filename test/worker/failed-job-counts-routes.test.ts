import { useTestStore } from '../support/redis';
import { capturedLog, failedJobCounts } from './failed-job-counts-rig';

/**
 * Review (review1): `countOnce` writes one script call per route and rejects as a whole
 * when any route's call fails, so `FailedJobCounts` holds the whole batch again, the
 * routes Redis took included. Those entries (already counted) stay held, are sent again
 * every interval, take room under `max` (so a healthy route's later failed-job counts are
 * refused and lost), and are reported lost at close although they were counted.
 */
describe('FailedJobCounts: one route Redis refuses does not hold back, lose or misreport the others', () => {
  const t = useTestStore('failedroutes', { tagging: 'route' });
  const { lines, log } = capturedLog();

  it('keeps holding only what was not counted', async () => {
    // A long interval: the test drives every write itself.
    const c = failedJobCounts(t.store, log, 60_000, 2);
    await t.redis.set(t.store.keys.counters('broken'), 'not a hash');
    c.add([{ route: 'broken', id: 'b-1' }]);
    await c.flush();
    c.add([{ route: 'fine', id: 'f-1' }]);
    await c.flush();
    // f-1 was counted (its route's call succeeded): only b-1 is still waiting.
    expect((await t.store.counters(['fine'])).fine).toEqual({ 'dropped:job_failed': 1 });
    // A second failed job of the healthy route: there is room for it (max 2, one waiting), and it is counted.
    c.add([{ route: 'fine', id: 'f-2' }]);
    await c.flush();
    expect((await t.store.counters(['fine'])).fine).toEqual({ 'dropped:job_failed': 2 });
    expect(c.unwritten).toBe(1);
    // At close only b-1 is lost, and the log says so.
    lines.length = 0;
    expect(await c.close()).toBe(1);
    expect(lines.filter((l) => l.level >= 50).map((l) => l.exchanges)).toEqual([1]);
  });
});
