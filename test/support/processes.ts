import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';

/** The repository root; `bin/tandem.js` runs the `dist/` that jest's global setup builds. */
const ROOT = resolve(__dirname, '../..');
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));

/**
 * A child process with its collected output.
 *
 * @example
 * const child: Child = spawnChild('redis-server', ['--port', '7000']);
 * console.log(child.output());
 */
export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the output once it matches `pattern`; rejects on exit or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Spawn a process, collect its output, and remember it so `killAll()` ends it.
 *
 * @example
 * const child = spawnChild('redis-server', ['--port', '7000']);
 * await child.waitForOutput(/Ready to accept/);
 */
export function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}, o: { detached?: boolean } = {}): Child {
  // detached: a process group of its own (pgid = pid), to signal it as a terminal does (`process.kill(-pid, 'SIGINT')`).
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: o.detached,
  });
  live.add(proc);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString();
    if (out.length > 1 << 20) out = out.slice(-(1 << 19));
    listeners.forEach((l) => l());
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      listeners.forEach((l) => l());
      done({ code, signal });
    }),
  );
  return {
    proc,
    pid: proc.pid ?? 0,
    output: () => out,
    exited,
    kill: (signal = 'SIGTERM') => void proc.kill(signal),
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((done, fail) => {
        const check = () => {
          if (pattern.test(out)) return finish(() => done(out));
          if (proc.exitCode !== null || proc.signalCode !== null)
            finish(() => fail(new Error(`${command} exited before printing ${pattern}:\n${out}`)));
        };
        const timer = setTimeout(
          () => finish(() => fail(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms:\n${out}`))),
          timeoutMs,
        );
        const finish = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * The child's exit code once it exits within `ms` (milliseconds), else `'still running'`.
 * Its timer is cleared either way (it would hold jest up to `ms`).
 *
 * @example
 * expect(await exitWithin(child, 30_000)).toBe(0);
 */
export async function exitWithin(child: Pick<Child, 'exited'>, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      child.exited.then((e) => e.code),
      new Promise<'still running'>((r) => (timer = setTimeout(r, ms, 'still running'))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Kill every child still running (SIGKILL) and wait for them; call it in `afterAll`.
 *
 * @example
 * afterAll(() => killAll());
 */
export async function killAll(): Promise<void> {
  const waiting = [...live].map(
    (c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()))),
  );
  live.forEach((c) => c.kill('SIGKILL'));
  await Promise.all(waiting);
}

/**
 * A free TCP port on 127.0.0.1 (nothing listens on it when this resolves).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/**
 * A temporary folder `tandem-<name>-XXXXXX`, holding `files` (file name -> text) when given;
 * removed by the returned `remove()`.
 *
 * @example
 * const dir = tempDir('faults'); writeFileSync(join(dir.path, 'x'), ''); dir.remove();
 * const d = tempDir('translators', { 'a.js': "module.exports = { name: 'a' };" }).path;
 */
export function tempDir(name: string, files: Record<string, string> = {}): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tandem-${name}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Write a Tandem config as JSON into `dir` and return its path.
 *
 * @example
 * const file = writeConfig(dir.path, { legacy: { url }, candidate: { url } });
 */
export function writeConfig(dir: string, config: object, name = 'tandem.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * `node bin/tandem.js serve --config <file>`, resolved once it logs that it is serving.
 * Its URLs (proxy, report, operations) are read from that log line.
 *
 * @example
 * const { child, url } = await startTandemProcess(configFile);
 */
export async function startTandemProcess(
  configFile: string,
  extraArgs: string[] = [],
): Promise<{ child: Child; url: string; reportUrl: string; opsUrl: string }> {
  const child = spawnChild(process.execPath, ['bin/tandem.js', 'serve', '--config', configFile, ...extraArgs]);
  // Alone it starts in about 5 s on a loaded 2-core machine; four starting at once there took over 20.
  const out = await child.waitForOutput(/"msg":"tandem is serving"/, 45_000);
  const field = (name: string) => new RegExp(`"${name}":"(http:\\/\\/[^"]+)"`).exec(out)?.[1];
  const [url, reportUrl, opsUrl] = [field('url'), field('reportUrl'), field('opsUrl')];
  if (!url || !reportUrl || !opsUrl) throw new Error(`tandem serve did not log its URLs:\n${out}`);
  return { child, url, reportUrl, opsUrl };
}

/**
 * `node bin/tandem.js worker --config <file>`, resolved once it logs that it started.
 *
 * @example
 * const worker = await startWorkerProcess(configFile);
 * worker.kill('SIGKILL');
 */
export async function startWorkerProcess(configFile: string, extraArgs: string[] = []): Promise<Child> {
  const child = spawnChild(process.execPath, ['bin/tandem.js', 'worker', '--config', configFile, ...extraArgs]);
  await child.waitForOutput(/"msg":"tandem worker started"/, 45_000);
  return child;
}

/**
 * A redis-server child of the test, on its own port, with its data in a temp folder.
 *
 * @example
 * const redis: RedisProcess = await startRedisProcess();
 * await redis.remove();
 */
export interface RedisProcess {
  readonly url: string;
  readonly port: number;
  child: Child;
  /** SHUTDOWN (SAVE keeps the data for `start()`, as a Redis with persistence would). */
  stop(o?: { save?: boolean }): Promise<void>;
  /** Start it again on the same port and folder. */
  start(): Promise<void>;
  /** An ioredis client (closed by `remove()`). */
  client(): IORedis;
  /** Stop it and delete its folder. */
  remove(): Promise<void>;
}

/**
 * Start a private `redis-server` (no snapshots, no AOF) on a free port: for tests that
 * stop Redis or fill it, never the shared one.
 *
 * @example
 * const redis = await startRedisProcess();
 * await redis.stop({ save: true }); await redis.start();
 */
export async function startRedisProcess(extraArgs: string[] = []): Promise<RedisProcess> {
  const port = await freePort();
  const dir = tempDir('redis');
  const clients: IORedis[] = [];
  const launch = async () => {
    const child = spawnChild('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir.path,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...extraArgs,
    ]);
    await child.waitForOutput(/Ready to accept connections/, 10_000);
    return child;
  };
  const r: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    child: await launch(),
    async stop(o = {}) {
      const admin = new IORedis(r.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
      admin.on('error', () => undefined);
      await admin.call('SHUTDOWN', o.save ? 'SAVE' : 'NOSAVE').catch(() => undefined);
      // Ended by now (Redis closed it; no retries). disconnect() on an ended client arms ioredis'
      // 2 s socket-destroy timer for a socket already closed, which kept jest from exiting in time.
      if (admin.status !== 'end') admin.disconnect();
      await r.child.exited;
    },
    async start() {
      r.child = await launch();
    },
    client() {
      const c = new IORedis(r.url, { maxRetriesPerRequest: 2 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async remove() {
      clients.forEach((c) => c.disconnect());
      if (r.child.proc.exitCode === null && r.child.proc.signalCode === null) await r.stop();
      dir.remove();
    },
  };
  return r;
}
