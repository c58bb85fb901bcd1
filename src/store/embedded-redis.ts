import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { alive, LOCK_FILE, lockDataDir, readLock } from './data-dir-lock';

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Tandem starts its own Redis when no redis.url (or REDIS_URL) is given.\n' +
  '  Install it:  apt-get install redis-server   (Debian/Ubuntu; brew install redis on macOS)\n' +
  '  or point Tandem at a running Redis:  REDIS_URL=redis://127.0.0.1:6379';

/** A redis-server child process owned by this Tandem process. */
export interface EmbeddedRedis {
  url: string;
  /** The redis-server's process id. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Start `redis-server` as a child process on a free loopback port, data under `dataDir`.
 *
 * - **One owner per data folder.** The folder is locked (`tandem.lock`, created
 *   atomically, holding this process's pid, its redis-server's pid and port). While the process named in it is alive,
 *   another start on the same folder (a second `tandem serve`, `npm run demo`, an
 *   express app with the middleware) throws `data folder … is in use by pid N` and
 *   touches nothing: it never stops the running instance's Redis. Give each instance
 *   its own `redis.dataDir`, or point them all at one Redis with `REDIS_URL`.
 * - **No orphans.** On Linux, redis-server is started through `setpriv --pdeathsig`:
 *   it is sent SIGTERM when its parent dies, however it dies (SIGTERM to a host app
 *   without handlers, SIGKILL, a crash); it also runs in its own process group, so a
 *   terminal's Ctrl-C reaches Tandem, which flushes before stopping Redis. Without
 *   `setpriv`, it is stopped on `exit` and on SIGTERM, SIGINT and SIGHUP when nothing
 *   else handles them (the signal then takes its default course).
 * - **Stale locks.** A lock whose owner is gone is taken over; the redis-server it
 *   names is stopped only when it is certainly that one (a `redis-server` process
 *   whose working folder is this data folder and whose port is the locked one).
 *   A live process Tandem did not start is never signalled.
 *
 * Throws with install advice when the binary is missing.
 *
 * @example
 * const redis = await startEmbeddedRedis('.tandem/redis');
 * // ... use redis.url
 * await redis.stop();
 */
export async function startEmbeddedRedis(dataDir: string, binary = 'redis-server'): Promise<EmbeddedRedis> {
  if (spawnSync(binary, ['--version']).error) throw new Error(REDIS_MISSING_MESSAGE);
  mkdirSync(resolve(dataDir), { recursive: true });
  const dir = realpathSync(resolve(dataDir));
  const lock = lockDataDir(dir);
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--pidfile',
      `${dir}/redis.pid`,
      '--save',
      '60 1',
      '--appendonly',
      'no',
      '--dbfilename',
      'tandem.rdb',
      '--logfile',
      `${dir}/redis.log`,
      '--daemonize',
      'no',
    ];
    const guarded = PDEATHSIG();
    child = guarded
      ? spawn('setpriv', ['--pdeathsig', 'TERM', '--', binary, ...args], { stdio: 'ignore', detached: true })
      : // Its own process group, as under setpriv: a terminal's Ctrl-C (SIGINT to the whole group) must not stop it
        // before the processes that flush into it have (they stop it themselves once flushed).
        spawn(binary, args, { stdio: 'ignore', detached: true });
    const c = child;
    lock.update({ pid: process.pid, redisPid: c.pid, port });
    const cleanup = () => {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      lock.release();
    };
    const onSignal = (signal: NodeJS.Signals) => {
      // Someone else handles it (tandem serve closes and stops Redis itself; a host app exits, and `exit` cleans up).
      if (process.listenerCount(signal) > 1) return;
      unlisten();
      cleanup();
      process.kill(process.pid, signal);
    };
    const signals: NodeJS.Signals[] = guarded ? [] : ['SIGTERM', 'SIGINT', 'SIGHUP'];
    const unlisten = () => {
      process.removeListener('exit', cleanup);
      for (const s of signals) process.removeListener(s, onSignal);
    };
    process.once('exit', cleanup);
    for (const s of signals) process.on(s, onSignal);
    await waitForPort(port, c);
    return {
      url: `redis://127.0.0.1:${port}`,
      pid: c.pid ?? 0,
      stop: async () => {
        unlisten();
        await stopChild(c);
        lock.release();
      },
    };
  } catch (e) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    lock.release();
    throw e;
  }
}

/**
 * The embedded redis-server another process (a `tandem serve`) runs on `dataDir`, for the
 * commands that join it (`tandem rollout`, `worker`, `replay`, `rediff`, `suggest`): read
 * from the folder's lock (`tandem.lock`: `{ pid, redisPid, port }`), and only when the
 * owner named there is alive and 127.0.0.1 on that port answers `PING` with `+PONG`
 * within `timeoutMs`. Never starts, stops or locks anything. Null when none runs
 * (no lock, a stale lock, a Redis that does not answer).
 *
 * @example
 * const url = await runningEmbeddedRedis('.tandem/redis'); // 'redis://127.0.0.1:40123' or null
 */
export async function runningEmbeddedRedis(dataDir: string, timeoutMs = 2000): Promise<string | null> {
  const file = join(resolve(dataDir), LOCK_FILE);
  if (!existsSync(file)) return null;
  const held = readLock(file);
  if (!held || !alive(held.pid) || !held.port) return null;
  return (await answersPing(held.port, timeoutMs)) ? `redis://127.0.0.1:${held.port}` : null;
}

/** Whether 127.0.0.1:`port` answers an inline `PING` with `+PONG` (a Redis, not just any listener). */
function answersPing(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    let got = '';
    const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    const finish = (ok: boolean) => (clearTimeout(timer), s.destroy(), done(ok));
    const timer = setTimeout(() => finish(false), timeoutMs);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) finish(got.startsWith('+PONG'));
    });
    s.on('error', () => finish(false));
    s.on('close', () => finish(false));
  });
}

/** Whether `setpriv --pdeathsig` works here (util-linux, Linux), checked once. */
const PDEATHSIG = (() => {
  let known: boolean | undefined;
  return () => (known ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true']).status === 0);
})();

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}; see its log in the data folder`);
    const ok = await new Promise<boolean>((done) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), done(true)));
      s.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start listening on 127.0.0.1:${port} within 10 s`);
}
