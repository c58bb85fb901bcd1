import { Writable } from 'node:stream';
import pino from 'pino';
import { ResultsStore, type RedisClient } from '../../src/store';
import { FailedJobCounts } from '../../src/worker/failed-job-counts';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';
import { RETENTION } from '../support/exchanges';

/** A failed job's drop count is never lost silently: sent again until Redis takes it, logged when the worker stops first. */
describe('FailedJobCounts: the counts of failed jobs, on a Redis that refuses them for a while', () => {
  const prefix = uniquePrefix('failedcounts');
  let redis: RedisClient;
  let store: ResultsStore;
  const lines: { level: number; msg: string; exchanges?: number }[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString())), done()) }));
  beforeAll(() => {
    redis = openTestRedis();
    store = new ResultsStore(redis, prefix, RETENTION);
  });
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });
  const counts = () => new FailedJobCounts((e) => store.countOnce(e, 'dropped:job_failed'), log, 50);

  it('holds a refused count and writes it, once, when Redis takes it', async () => {
    const c = counts();
    await redis.set(store.keys.counters('later'), 'not a hash');
    c.add([
      { route: 'later', id: 'x-1' },
      { route: 'later', id: 'x-2' },
    ]);
    await c.flush();
    expect(c.unwritten).toBe(2);
    c.add([{ route: 'later', id: 'x-1' }]); // the same exchange again (a second worker's failed event): counted once
    await redis.del(store.keys.counters('later'));
    for (let i = 0; i < 100 && c.unwritten; i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.unwritten).toBe(0);
    expect((await store.counters(['later'])).later).toEqual({ 'dropped:job_failed': 2 });
    expect(await c.close()).toBe(0);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'failed job counts not written: sent again until Redis takes them',
    ]);
  });

  it('logs as an error what Redis never took before the worker stopped', async () => {
    lines.length = 0;
    const c = counts();
    await redis.set(store.keys.counters('never'), 'not a hash');
    c.add([{ route: 'never', id: 'y-1' }]);
    expect(await c.close()).toBe(1);
    expect(lines.filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({ exchanges: 1, msg: 'failed job counts lost: Redis did not take them before the worker stopped' }),
    ]);
  });
});
