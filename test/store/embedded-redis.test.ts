import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/store';
import { killAll, spawnChild, startRedisProcess, tempDir, writeConfig, type RedisProcess } from '../support/processes';

/**
 * The embedded redis-server (issue 14, finding 10), with real processes: a second
 * instance on the same data folder refuses and leaves the first alone; a live process
 * Tandem did not start is never signalled; a host app killed by SIGTERM leaves no
 * redis-server behind, and its stale lock is taken over.
 */
const STORE = resolve(__dirname, '../../dist/src/store/embedded-redis.js');

/** A host app: starts the embedded Redis the way the middleware does, prints its pid, then idles (no signal handlers). */
const hostApp = (dir: string) =>
  spawnChild(process.execPath, [
    '-e',
    `require(${JSON.stringify(STORE)}).startEmbeddedRedis(${JSON.stringify(dir)})
      .then((r) => { console.log('embedded ' + JSON.stringify({ pid: r.pid, url: r.url })); setInterval(() => {}, 1000); })
      .catch((e) => { console.error('refused: ' + e.message); process.exit(3); });`,
  ]);

/** Running: it exists and is not a zombie waiting for a reaper. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !existsSync(`/proc/${pid}/stat`) || !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
};

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The redis-server's own process id, as it reports it (INFO server). */
async function serverPid(url: string): Promise<number> {
  const c = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return Number(/process_id:(\d+)/.exec(await c.info('server'))![1]);
  } finally {
    c.disconnect();
  }
}

async function ping(url: string): Promise<string> {
  const c = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return await c.ping();
  } finally {
    c.disconnect();
  }
}

describe('embedded redis-server', () => {
  const dirs: { remove(): void }[] = [];
  const folder = () => {
    const d = tempDir('embedded');
    dirs.push(d);
    return d.path;
  };
  afterAll(async () => {
    await killAll();
    dirs.forEach((d) => d.remove());
  });

  it('a `tandem serve` on a data folder in use exits 2 before it starts anything: one line, no report token generated', async () => {
    const dir = folder();
    const first = await startEmbeddedRedis(dir);
    try {
      const config = writeConfig(dir, {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        listen: { port: 0 },
        redis: { dataDir: dir },
        routes: [{ name: 'p', match: 'GET /p' }],
      });
      // No Redis in the environment: with REDIS_URL set (as .ci/run sets it), serve would use
      // that Redis instead of the embedded one and never meet the folder's lock.
      const serve = spawnChild(process.execPath, ['bin/tandem.js', 'serve', '-c', config], {
        REDIS_URL: '',
        REDIS_CLUSTER_NODES: '',
      });
      expect((await serve.exited).code).toBe(2);
      const lines = serve.output().trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^tandem: the embedded Redis data folder .* is in use by pid ${process.pid}, its redis-server on`),
        ),
      ]);
      expect(serve.output()).not.toMatch(/generated|token/);
      expect(await ping(first.url)).toBe('PONG');
    } finally {
      await first.stop();
    }
  }, 60_000);

  it("refuses a second instance on the same data folder with the first one's pid, and leaves the first one's Redis running", async () => {
    const dir = folder();
    const first = await startEmbeddedRedis(dir);
    try {
      expect(await serverPid(first.url)).toBe(first.pid);
      const second = hostApp(dir);
      const { code } = await second.exited;
      expect(code).toBe(3);
      expect(second.output()).toContain(`is in use by pid ${process.pid}`);
      expect(second.output()).toContain(first.url.replace('redis://', ''));
      expect(alive(first.pid)).toBe(true);
      expect(await ping(first.url)).toBe('PONG');
      // In the same process too (two middlewares on one folder).
      await expect(startEmbeddedRedis(dir)).rejects.toThrow(/in use by this process/);
      // ... and never tells a process to delete its own lock: it says which one to close.
      const own = (await startEmbeddedRedis(dir).catch((e: Error) => e)) as Error;
      expect(own.message).not.toMatch(/delete/);
      expect(own.message).toMatch(/Close that one first/);
      expect(await ping(first.url)).toBe('PONG');
    } finally {
      await first.stop();
    }
    // Stopped: the lock is released and the folder can be used again.
    expect(existsSync(join(dir, 'tandem.lock'))).toBe(false);
    const again = await startEmbeddedRedis(dir);
    await again.stop();
  }, 60_000);

  it('never signals a live process it did not start, whatever the pid file or a stale lock name', async () => {
    const dir = folder();
    let foreign: RedisProcess | undefined;
    let ours: EmbeddedRedis | undefined;
    try {
      foreign = await startRedisProcess();
      // A dead owner (a process that has exited) naming a live redis-server that is not this folder's.
      const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
      writeFileSync(join(dir, 'redis.pid'), `${foreign.child.pid}\n`);
      writeFileSync(join(dir, 'tandem.lock'), JSON.stringify({ pid: Number(dead), redisPid: foreign.child.pid, port: foreign.port }));
      ours = await startEmbeddedRedis(dir);
      expect(await ping(ours.url)).toBe('PONG');
      expect(alive(foreign.child.pid)).toBe(true);
      expect(await ping(foreign.url)).toBe('PONG');
      expect(JSON.parse(readFileSync(join(dir, 'tandem.lock'), 'utf8'))).toMatchObject({ pid: process.pid, redisPid: ours.pid });
    } finally {
      await ours?.stop();
      await foreign?.remove();
    }
  }, 60_000);

  it('leaves no redis-server behind when a host app without signal handlers gets SIGTERM, and the next start takes over the folder', async () => {
    const dir = folder();
    const app = hostApp(dir);
    const line = await app.waitForOutput(/embedded (\{.*\})/, 20_000);
    const { url } = JSON.parse(/embedded (\{.*\})/.exec(line)![1]) as { url: string };
    const pid = await serverPid(url);
    expect(alive(pid)).toBe(true);
    app.kill('SIGTERM');
    expect((await app.exited).signal).toBe('SIGTERM');
    await until(() => !alive(pid));
    // The lock names a dead owner: taken over.
    const next = await startEmbeddedRedis(dir);
    expect(await ping(next.url)).toBe('PONG');
    await next.stop();
  }, 60_000);
});
