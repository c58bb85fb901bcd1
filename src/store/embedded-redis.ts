import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Tandem starts its own Redis when no redis.url (or REDIS_URL) is given.\n' +
  '  Install it:  apt-get install redis-server   (Debian/Ubuntu; brew install redis on macOS)\n' +
  '  or point Tandem at a running Redis:  REDIS_URL=redis://127.0.0.1:6379';

/** The lock file in the data folder: `{ pid, redisPid, port }` of the Tandem process that owns it. */
export const LOCK_FILE = 'tandem.lock';

/** A redis-server child process owned by this Tandem process. */
export interface EmbeddedRedis {
  url: string;
  /** The redis-server's process id. */
  pid: number;
  stop(): Promise<void>;
}

interface LockContent {
  pid: number;
  redisPid?: number;
  port?: number;
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

/**
 * Take the data folder's lock (`tandem.lock`, created atomically by `link`): throws when a live
 * process holds it; takes over a stale one (its owner gone), stopping the redis-server
 * it names only when that process is certainly the folder's (see `staleRedis`).
 */
function lockDataDir(dir: string): { update(c: LockContent): void; release(): void } {
  const file = join(dir, LOCK_FILE);
  let owned = false;
  // Written whole under another name, then linked (fails if the lock exists) or renamed into place: never read half-written.
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = {
    update: (c: LockContent) => (writeFileSync(tmp, JSON.stringify(c)), renameSync(tmp, file)),
    release: () => {
      if (!owned) return;
      owned = false;
      if (readLock(file)?.pid === process.pid) unlinkQuietly(file);
    },
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    writeFileSync(tmp, JSON.stringify({ pid: process.pid }));
    try {
      linkSync(tmp, file);
      owned = true;
      return handle;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkQuietly(tmp);
    }
    const held = readLock(file);
    if (held && alive(held.pid)) throw inUse(dir, file, held);
    if (held?.redisPid && staleRedis(held.redisPid, dir, held.port)) process.kill(held.redisPid, 'SIGTERM');
    unlinkQuietly(file);
  }
  throw new Error(`could not lock the embedded Redis data folder ${dir} (${file} keeps coming back)`);
}

/**
 * Whether `dataDir` is held by a live process (a running `tandem serve`), checked before
 * anything starts: the error `startEmbeddedRedis` would throw (`the embedded Redis data
 * folder … is in use by pid N …`), or null when the folder is free (no lock, or a stale
 * one that a start would take over). Reads the lock only; takes, stops or writes nothing.
 *
 * @example
 * const taken = dataDirTaken('.tandem/redis'); // Error or null
 */
export function dataDirTaken(dataDir: string): Error | null {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  const held = existsSync(file) ? readLock(file) : null;
  return held && alive(held.pid) ? inUse(dir, file, held) : null;
}

/**
 * Why the data folder cannot be taken. Held by this very process (a second start in it
 * while the first still runs): say which to close; deleting the lock is advised only
 * for another process, and only when it is not a Tandem.
 */
function inUse(dir: string, file: string, held: LockContent): Error {
  const redis = held.port ? `, its redis-server on 127.0.0.1:${held.port}` : '';
  const share = `share that Redis with REDIS_URL=redis://127.0.0.1:${held.port ?? 6379}`;
  if (held.pid === process.pid)
    return new Error(
      `the embedded Redis data folder ${dir} is in use by this process (pid ${held.pid}): another Tandem in it started first${redis}. ` +
        `Close that one first (server.close() / middleware.close()), give this one its own redis.dataDir, or ${share}.`,
    );
  return new Error(
    `the embedded Redis data folder ${dir} is in use by pid ${held.pid}${redis}. ` +
      `Give this instance its own redis.dataDir, or ${share}. (If pid ${held.pid} is not a Tandem, delete ${file}.)`,
  );
}

function readLock(file: string): LockContent | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return typeof c?.pid === 'number' ? c : { pid: 0 };
  } catch {
    return null;
  }
}

/** Whether a process exists and has not exited (a process of another user counts as alive; a zombie does not). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Whether `pid` is the redis-server an earlier Tandem started on this folder: a
 * `redis-server` process whose working folder is `dir` (redis-server changes into its
 * `--dir`) and which serves the locked port. False wherever that cannot be read
 * (no /proc, another user): then nothing is signalled.
 */
function staleRedis(pid: number, dir: string, port: number | undefined): boolean {
  if (!alive(pid)) return false;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('redis-server') && port !== undefined && cmd.includes(`:${port}`) && readlinkSync(`/proc/${pid}/cwd`) === dir;
  } catch {
    return false;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

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
