import { MAX_FAILED_HELD } from '../../src/worker/failed-job-counts';
import { useTestStore } from '../support/redis';
import { capturedLog, failedJobCounts } from './failed-job-counts-rig';

/**
 * Review (review1): `FailedJobCounts.add` bounds what it holds by `pending` alone, not the
 * write under way, so while a write is in flight another `max` entries get in, and when
 * that write fails both are held: twice the bound. The next write sends them in one
 * `countOnce` call per route (`t.redis.eval(..., ...done)`), and at about 2 x 100k keys the
 * spread overflows V8's stack (RangeError): that write fails every time, Redis healthy or
 * not, so none of them is ever counted and nothing new is taken.
 */
describe('FailedJobCounts: what it holds stays within its bound and can be written', () => {
  const t = useTestStore('failedbound');
  const { lines, log } = capturedLog();

  it('holds at most MAX_FAILED_HELD, and writes them all once Redis takes them', async () => {
    const c = failedJobCounts(t.store, log, 60_000);
    await t.redis.set(t.store.keys.counters('big'), 'not a hash');
    const entries = (tag: string) => Array.from({ length: MAX_FAILED_HELD }, (_, i) => ({ route: 'big', id: `${tag}-${i}` }));
    c.add(entries('a')); // written at once: in flight
    c.add(entries('b')); // while it is in flight
    await c.flush(); // the first write refused
    expect(c.unwritten).toBeLessThanOrEqual(MAX_FAILED_HELD);
    await t.redis.del(t.store.keys.counters('big'));
    await c.flush();
    expect(c.unwritten).toBe(0);
    // Every entry either counted or logged as lost, none silently.
    const counted = Number((await t.store.counters(['big'])).big['dropped:job_failed'] ?? 0);
    const logged = lines.filter((l) => l.level >= 50).reduce((n, l) => n + (l.exchanges ?? 0), 0);
    expect(counted + logged).toBe(2 * MAX_FAILED_HELD);
    expect(await c.close()).toBe(0);
  }, 60_000);
});
