import { execFile } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { startRedisProcess, tempDir, writeConfig, type RedisProcess } from '../support/processes';

const BIN = join(__dirname, '../../bin/tandem.js');
const PASSWORD = 'frozen-mid-run-secret-pw';

/** A command still running after 40 s is killed (before the fix: rediff took 120 s, rollout set 40 s). */
function tandem(args: string[]): { done: Promise<{ code: number | string | null; out: string; ms: number }> } {
  const started = Date.now();
  return {
    done: new Promise((done) =>
      execFile(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_URL: '' }, timeout: 40_000 }, (err, stdout, stderr) =>
        done({
          code: err ? (err.killed ? `killed (${String(err.signal)})` : (err as NodeJS.ErrnoException).code!) : 0,
          out: stdout + stderr,
          ms: Date.now() - started,
        }),
      ),
    ),
  };
}

/**
 * One-shot commands whose Redis answers their first PING, then freezes (a redis-server stopped
 * with SIGSTOP) while a command waits on it. Before, `rediff` waited for its command's 60 s
 * timeout and then 60 s more to release its lock, `rollout set` 20 s twice: now each notices
 * within about 8 s (a PING watch, ONE_SHOT_LOST_MS), exits 1, and names the Redis (no
 * password) and what it did not do. To hold the command at a known point, writes are
 * paused first (`CLIENT PAUSE WRITE`: PINGs are still answered), and the Redis is frozen
 * once the command's write waits.
 */
describe('one-shot commands whose Redis freezes after their first PING', () => {
  jest.setTimeout(90_000);
  const dir = tempDir('frozen-mid-run');
  let redis: RedisProcess;
  let control: IORedis;
  let frozen = false;

  beforeEach(async () => {
    redis = await startRedisProcess(['--requirepass', PASSWORD]);
    control = new IORedis({ port: redis.port, host: '127.0.0.1', password: PASSWORD, lazyConnect: true });
    await control.connect();
  });
  afterEach(async () => {
    control?.disconnect();
    if (frozen) redis.child.kill('SIGCONT');
    frozen = false;
    redis?.child.kill('SIGKILL');
    await redis?.child.exited;
    await redis?.remove();
  });
  afterAll(() => dir.remove());

  const config = () =>
    writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, prefix: 'frozen-mid-run' },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'frozen.json',
    );

  /** Pause writes, start the command, freeze Redis once the command's write waits (a client flagged `b`, blocked). */
  async function freezeDuring(args: string[]) {
    await control.call('CLIENT', 'PAUSE', '60000', 'WRITE');
    const run = tandem([...args, '-c', config()]);
    for (;;) {
      const clients = String(await control.call('CLIENT', 'LIST'));
      if (/ flags=b /.test(clients)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    redis.child.kill('SIGSTOP');
    frozen = true;
    return run.done;
  }

  it('rediff exits 1 within seconds, naming the Redis and that the route was not recomputed', async () => {
    const { code, out, ms } = await freezeDuring(['rediff', '--route', 'product']);
    expect({ code, out }).toEqual({
      code: 1,
      out:
        `tandem rediff: Redis at redis://127.0.0.1:${redis.port} (no answer to PING for 8 s) stopped answering: ` +
        'route product was not recomputed (nothing was cleared); if it took its lock, another rediff of it is refused until the lock expires (within 10 minutes)\n',
    });
    expect(out).not.toContain(PASSWORD);
    // Noticed after 8 s without an answer; far from the 60 s of a command's timeout.
    expect(ms).toBeLessThan(30_000);
  });

  it('rollout set exits 1 within seconds, saying the change may not have been applied', async () => {
    const { code, out, ms } = await freezeDuring(['rollout', 'set', 'product', '--phase', 'shadow']);
    expect({ code, out }).toEqual({
      code: 1,
      out:
        `tandem rollout: Redis at redis://127.0.0.1:${redis.port} (no answer to PING for 8 s) stopped answering: ` +
        'the change may or may not have been applied: `tandem rollout status` shows which once Redis answers\n',
    });
    expect(ms).toBeLessThan(30_000);
  });
});
