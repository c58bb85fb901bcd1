import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, type TestBackend } from '../support/backends';
import { startRedisProcess, tempDir, writeConfig, type RedisProcess } from '../support/processes';

const ROOT = join(__dirname, '../..');
const PASSWORD = 'lost-redis-secret-pw';

/**
 * `tandem replay` whose Redis dies mid-run (a private redis-server, killed): before, each
 * request in flight waited for its result the full 120 s timeout (the run took minutes);
 * now the run notices within seconds, stops, names that Redis (without its password) and
 * the requests sent and not compared, and exits 1 (a run-time failure).
 */
describe('tandem replay: Redis lost mid-run', () => {
  const dir = tempDir('replay-redis-lost');
  let redis: RedisProcess;
  let legacy: TestBackend;
  let candidate: TestBackend;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    redis = await startRedisProcess(['--requirepass', PASSWORD]);
    legacy = await startBackend((r) => ({ body: { id: r.url } }));
    // Slow enough that requests are still in flight when Redis goes.
    candidate = await startBackend((r) => ({ body: { id: r.url }, delayMs: 500 }));
  });
  afterAll(async () => {
    // A run still going (before the fix it waited minutes) must not outlive the suite.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([legacy?.close(), candidate?.close()]);
    await redis?.remove();
    dir.remove();
  });

  it('stops within seconds, names the Redis and the requests not compared, and exits 1', async () => {
    const file = join(dir.path, 'requests.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 200 }, (_, i) => JSON.stringify({ method: 'GET', url: `/products/${i}?token=t${i}` })).join('\n'),
    );
    const config = writeConfig(dir.path, {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { url: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, prefix: 'replay-redis-lost' },
      report: { token: 'replay-redis-lost-token-0123' },
      log: { level: 'warn' },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    const run = spawn(process.execPath, [join(ROOT, 'bin/tandem.js'), 'replay', file, '-c', config, '--rate', '0', '--no-progress'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = run;
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    run.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => run.on('close', done));
    // Requests are in flight (the candidate has been asked) when Redis dies.
    while (candidate.seen.length < 6) await new Promise((r) => setTimeout(r, 50));
    redis.child.kill('SIGKILL');
    await redis.child.exited;
    const status = await exited;

    expect(status).toBe(1);
    const line = stderr.split('\n').find((l) => l.startsWith('tandem replay: '));
    expect(line).toMatch(
      new RegExp(
        `^tandem replay: Redis at redis://127\\.0\\.0\\.1:${redis.port} stopped answering during the replay \\(.+\\): ` +
          '\\d+ requests? sent (was|were) not compared: entry \\d+ \\(GET /products/\\d+\\).*; \\d+ entries not replayed$',
      ),
    );
    // Not every entry was sent: the run stopped.
    expect(Number(/; (\d+) entries not replayed$/.exec(line!)![1])).toBeGreaterThan(0);
    expect(stdout).toMatch(/^not compared: .*\d+ redis_lost/m);
    expect(stdout).toMatch(/^stopped: Redis at redis:\/\/127\.0\.0\.1:\d+ stopped answering/m);
    // Neither the password nor a query (it may carry a secret) is printed.
    expect(stdout + stderr).not.toContain(PASSWORD);
    expect(line).not.toContain('token=');
  }, 60_000);
});
