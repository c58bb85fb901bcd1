import { existsSync, linkSync, readFileSync, readlinkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The lock file in the data folder: `{ pid, redisPid, port }` of the Tandem process that owns it. */
export const LOCK_FILE = 'tandem.lock';

/** What the lock file holds. */
export interface LockContent {
  pid: number;
  redisPid?: number;
  port?: number;
}

/**
 * Take the data folder's lock (`tandem.lock`, created atomically by `link`): throws when a live
 * process holds it; takes over a stale one (its owner gone), stopping the redis-server
 * it names only when that process is certainly the folder's (see `staleRedis`).
 */
export function lockDataDir(dir: string): { update(c: LockContent): void; release(): void } {
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

/** The lock file's content, `{ pid: 0 }` for one without a pid, null when unreadable. */
export function readLock(file: string): LockContent | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return typeof c?.pid === 'number' ? c : { pid: 0 };
  } catch {
    return null;
  }
}

/** Whether a process exists and has not exited (a process of another user counts as alive; a zombie does not). */
export function alive(pid: number): boolean {
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
