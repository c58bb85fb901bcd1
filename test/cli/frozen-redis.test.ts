import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeOneShotRedis, openOneShotRedis } from '../../src/store';
import { startRedisProcess, tempDir, writeConfig, type RedisProcess } from '../support/processes';

const BIN = join(__dirname, '../../bin/tandem.js');
const PASSWORD = 'frozen-redis-secret-pw';

/** Each command's own bound is about 5 s; a command still running after 40 s is killed (before the fix: all of them). */
function tandem(args: string[]): Promise<{ code: number | string | null; out: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_URL: '' }, timeout: 40_000 }, (err, stdout, stderr) =>
      done({
        code: err ? (err.killed ? `killed (${String(err.signal)})` : (err as NodeJS.ErrnoException).code!) : 0,
        out: stdout + stderr,
      }),
    ),
  );
}

/**
 * The one-shot commands whose Redis accepts the connection and never answers (a redis-server
 * stopped with SIGSTOP; also a stalled host, `CLIENT PAUSE`): before, each waited for ever
 * (no timeout on their connections). Now each gives up after its first PING went unanswered
 * for 5 s, prints the one line naming that Redis (no password), and exits 1. A Redis that is
 * slow but answers is not cut short by that check: only the first PING has it.
 */
describe('one-shot commands whose Redis does not answer', () => {
  jest.setTimeout(60_000);
  const dir = tempDir('frozen-redis');
  let redis: RedisProcess;
  let frozen = false;

  beforeAll(async () => {
    redis = await startRedisProcess(['--requirepass', PASSWORD, '--enable-debug-command', 'yes']);
  });
  afterAll(async () => {
    if (frozen) redis.child.kill('SIGCONT');
    // It has a password remove()'s SHUTDOWN does not give: stopped here instead.
    redis?.child.kill('SIGKILL');
    await redis?.child.exited;
    await redis?.remove();
    dir.remove();
  });

  const url = () => `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;

  it('a command that takes longer than the 5 s check, on a Redis that answers, is not cut short', async () => {
    const conn = await openOneShotRedis(url(), 60_000);
    try {
      // DEBUG SLEEP 6: the whole Redis busy for 6 s, as a long legitimate script would keep it.
      await expect(conn.call('DEBUG', 'SLEEP', '6')).resolves.toBe('OK');
    } finally {
      await closeOneShotRedis(conn);
    }
    // A command past its connection's own timeout does fail (what the CLI names as not answering).
    const short = await openOneShotRedis(url(), 1000);
    try {
      await expect(short.call('DEBUG', 'SLEEP', '3')).rejects.toThrow('Command timed out');
    } finally {
      await closeOneShotRedis(short);
    }
  });

  it('rollout, rediff, suggest --route and replay each exit 1 with the one line naming the Redis, no password', async () => {
    const config = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: url(), prefix: 'frozen-redis' },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'frozen.json',
    );
    const requests = join(dir.path, 'one.ndjson');
    writeFileSync(requests, '{"method":"GET","url":"/p/1"}\n');
    redis.child.kill('SIGSTOP');
    frozen = true;
    const commands = [
      ['rollout', 'status'],
      ['rollout', 'set', 'product', '--phase', 'shadow'],
      ['rollout', 'readiness', 'product'],
      ['rediff', '--route', 'product'],
      ['suggest', '--route', 'product'],
      ['replay', requests, '--no-progress'],
    ];
    // In parallel: each one's bound is its own, and the suite stays within its timeout.
    const results = await Promise.all(commands.map((args) => tandem([...args, '-c', config])));
    results.forEach(({ code, out }, i) => {
      const name = commands[i][0];
      expect({ name, code, out }).toEqual({
        name,
        code: 1,
        out: `tandem ${name}: Redis at redis://127.0.0.1:${redis.port} (no answer to PING within 5 s) is not answering: is it running, and are redis.url / REDIS_URL right?\n`,
      });
      expect(out).not.toContain(PASSWORD);
    });
  });
});
