import { processExchange } from '../../src/worker';
import { useTestStore } from '../support/redis';
import { exchange, processDeps } from '../support/exchanges';

/**
 * `countOnce`: how a failed job's exchanges are counted (`dropped:job_failed`). The worker
 * sends the same count again until Redis takes it, so each exchange must count once
 * however often it is sent, and not at all when its result was recorded.
 */
describe('ResultsStore.countOnce: each exchange counted once, whatever repeats the write', () => {
  // Route tagging (each route's keys in its own slot), so the cluster pass checks the script's keys share one.
  const t = useTestStore('countonce', { tagging: 'route' });

  it('counts an exchange once, again and again, and not at all once its result is recorded', async () => {
    const ex = exchange('rec-1', { a: 1 }, { a: 1 }, { route: 'once' });
    const out = await processExchange(ex, processDeps());
    expect(await t.store.record(ex, out.result, out)).toBe('recorded');
    const entries = [
      { route: 'once', id: 'rec-1' },
      { route: 'once', id: 'lost-1' },
      { route: 'once', id: 'lost-2' },
      { route: 'once', id: 'lost-2' },
      { route: '', id: 'failed-job:9:0' },
    ];
    expect(await t.store.countOnce(entries, 'dropped:job_failed')).toBe(3);
    // Sent again (its reply was lost, or the worker could not tell it landed): nothing more.
    expect(await t.store.countOnce(entries, 'dropped:job_failed')).toBe(0);
    expect((await t.store.counters(['once'])).once).toEqual({ compared: 1, match: 1, 'dropped:job_failed': 2 });
    expect(await t.store.drops()).toEqual({ 'dropped:job_failed': 1 });
    expect(await t.store.routeNames()).toEqual(['once']);
    // And a result recorded later for an exchange counted as dropped is not counted again.
    const late = exchange('lost-1', { a: 1 }, { a: 1 }, { route: 'once' });
    expect(await t.store.record(late, out.result, out)).toBe('duplicate');
    expect((await t.store.counters(['once'])).once).toEqual({ compared: 1, match: 1, 'dropped:job_failed': 2 });
  });

  it('writes nothing when Redis refuses the count, and counts once when it takes it', async () => {
    await t.redis.set(t.store.keys.counters('refused'), 'not a hash');
    const entries = [{ route: 'refused', id: 'r-1' }];
    await expect(t.store.countOnce(entries, 'dropped:job_failed')).rejects.toThrow(/WRONGTYPE/);
    expect(await t.redis.exists(t.store.keys.done(t.store.keys.recordId('refused', 'r-1')))).toBe(0);
    await t.redis.del(t.store.keys.counters('refused'));
    expect(await t.store.countOnce(entries, 'dropped:job_failed')).toBe(1);
    expect(await t.store.countOnce(entries, 'dropped:job_failed')).toBe(0);
    expect((await t.store.counters(['refused'])).refused).toEqual({ 'dropped:job_failed': 1 });
  });
});
