import { watchRedis, type RedisLost } from '../../src/store';
import { startRedisProcess, type RedisProcess } from '../support/processes';

/**
 * The reason a `watchRedis` gives for a lost Redis is what went wrong since its last answer.
 * Before, the first error it saw stuck for ever: a Redis refused at start (or a cluster not
 * ready for the first PING, as `tandem rediff` on a loaded machine saw) that then answered
 * and later froze was reported by that old error ("connect ECONNREFUSED", "Cluster isn't
 * ready"), not as the PING that went unanswered.
 */
describe('watchRedis: the reason of a lost Redis', () => {
  jest.setTimeout(60_000);
  let redis: RedisProcess;
  let stopped = false;

  beforeAll(async () => {
    redis = await startRedisProcess();
  });
  afterAll(async () => {
    if (stopped) redis.child.proc.kill('SIGCONT');
    await redis.remove();
  });

  it('is the unanswered PING for a Redis that was refused at first, then answered, then froze', async () => {
    await redis.stop();
    const lost: RedisLost[] = [];
    const answered: number[] = [];
    const watch = watchRedis(redis.url, { onLost: (l) => lost.push(l), lostAfterMs: 10_000, intervalMs: 100 });
    try {
      // Refused for a moment (ioredis reconnects within a second), then up again.
      await new Promise((r) => setTimeout(r, 500));
      await redis.start();
      const admin = redis.client();
      // Its PINGs are answered again once its connection is back (CLIENT LIST shows it sending them).
      for (let i = 0; i < 100 && answered.length < 3; i++) {
        const list = String(await admin.call('CLIENT', 'LIST'));
        if (/cmd=ping/.test(list)) answered.push(Date.now());
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(answered.length).toBe(3);
      admin.disconnect();
      redis.child.proc.kill('SIGSTOP');
      stopped = true;
      for (let i = 0; i < 250 && !lost.length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(lost).toEqual([{ redis: redis.url, reason: 'no answer to PING for 10 s' }]);
    } finally {
      watch.stop();
      redis.child.proc.kill('SIGCONT');
      stopped = false;
    }
  });
});
