import { Writable } from 'node:stream';
import pino from 'pino';
import { closeStep } from '../../src/log';
import { openRedis, ResultsStore } from '../../src/store';
import { FailedJobCounts } from '../../src/worker/failed-job-counts';
import { RETENTION } from '../support/exchanges';
import { startRedisProcess, type RedisProcess } from '../support/processes';

/**
 * Review (review1): `FailedJobCounts.close()` waits for the write under way before it
 * counts what is left. The worker gives that step 1 s (`closeStep`, CLOSE_STEP_MS); a Redis
 * that does not answer (frozen, a network partition: the connection stays up, the command
 * waits) keeps the write pending past it, so close() never reaches its "lost" log: the
 * failed job's exchanges end in no counter and in no log line (the step's own warning says
 * neither that counts were lost nor how many).
 */
describe('FailedJobCounts.close on a Redis that does not answer', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedisProcess();
  });
  afterAll(async () => {
    redis.child.proc.kill('SIGCONT');
    await redis.remove();
  });

  it('logs the counts it could not write within the worker close step', async () => {
    const lines: { level: number; msg: string; exchanges?: number }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString())), done()) }));
    const client = openRedis(redis.url, 'client');
    client.on('error', () => undefined);
    await new Promise((r) => client.once('ready', r));
    const store = new ResultsStore(client, 'frozen', RETENTION);
    const counts = new FailedJobCounts((e) => store.countOnce(e, 'dropped:job_failed'), log);
    try {
      // Frozen: the connection stays open, nothing is answered.
      redis.child.proc.kill('SIGSTOP');
      counts.add([
        { route: 'r', id: 'x-1' },
        { route: 'r', id: 'x-2' },
      ]);
      // As the worker's close runs it (start-worker.ts: 'failed job counts', CLOSE_STEP_MS).
      await closeStep(log, 'failed job counts', () => counts.close(), 1000);
      expect(lines.filter((l) => l.level >= 50)).toEqual([expect.objectContaining({ exchanges: 2 })]);
    } finally {
      redis.child.proc.kill('SIGCONT');
      client.disconnect();
    }
  });
});
