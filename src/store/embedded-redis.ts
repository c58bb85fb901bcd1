import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const REDIS_MISSING_MESSAGE =
  'redis-server was not found on PATH. Tandem starts its own Redis when no redis.url (or REDIS_URL) is given.\n' +
  '  Install it:  apt-get install redis-server   (Debian/Ubuntu; brew install redis on macOS)\n' +
  '  or point Tandem at a running Redis:  REDIS_URL=redis://127.0.0.1:6379';

/** A redis-server child process owned by this Tandem process. */
export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Start `redis-server` as a child process on a free loopback port, data under `dataDir`,
 * stopped when Tandem stops (and on process exit). Throws with install advice when the
 * binary is missing.
 *
 * @example
 * const redis = await startEmbeddedRedis('.tandem/redis');
 * // ... use redis.url
 * await redis.stop();
 */
export async function startEmbeddedRedis(dataDir: string, binary = 'redis-server'): Promise<EmbeddedRedis> {
  if (spawnSync(binary, ['--version']).error) throw new Error(REDIS_MISSING_MESSAGE);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  killStale(`${dir}/redis.pid`);
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--pidfile', `${dir}/redis.pid`,
      '--save', '60 1', '--appendonly', 'no', '--dbfilename', 'tandem.rdb', '--logfile', `${dir}/redis.log`, '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  await waitForPort(port, child);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child, onExit),
  };
}

function stopChild(child: ChildProcess, onExit: () => void): Promise<void> {
  process.removeListener('exit', onExit);
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

/** A redis-server left behind by a Tandem that was killed outright. */
function killStale(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!pid) return;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.includes('redis-server')) process.kill(pid, 'SIGTERM');
  } catch {
    /* not running */
  }
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
  const { connect } = await import('node:net');
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
