import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';

/** A child process the benchmark started; every one is killed when the benchmark exits. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  readonly proc: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Where a child runs: a CPU core (via `taskset`) and a nice level (via `nice`). */
export interface Placement {
  core?: number;
  nice?: number;
}

const live = new Set<BenchChild>();
let tasksetChecked: boolean | undefined;

/**
 * Whether `taskset` can pin processes here (and the machine has at least 2 cores).
 *
 * @example
 * if (canPin()) console.log('proxy on core 0, load generator on core 1');
 */
export function canPin(): boolean {
  tasksetChecked ??= !spawnSync('taskset', ['-c', '0', 'true']).error && cpus().length >= 2;
  return tasksetChecked;
}

/**
 * The command line that runs `cmd args` at a placement. `nice` and `taskset` exec the
 * command, so the pid stays the command's own (its /proc entries are the process's).
 *
 * @example
 * placed('node', ['x.js'], { core: 1, nice: 19 }); // ['nice', ['-n', '19', 'taskset', '-c', '1', 'node', 'x.js']]
 */
export function placed(cmd: string, args: string[], where: Placement, pin = canPin()): [string, string[]] {
  let line = [cmd, ...args];
  if (pin && where.core !== undefined) line = ['taskset', '-c', String(where.core), ...line];
  if (where.nice) line = ['nice', '-n', String(where.nice), ...line];
  return [line[0], line.slice(1)];
}

/**
 * Start a child at a placement. When `readyJson` is set, resolves with the first JSON
 * line the child prints on stdout (children announce `{"port":...}` that way); a child
 * that exits or stays silent for `timeoutMs` rejects with its stderr.
 *
 * @example
 * const { child, ready } = await startChild('legacy', process.execPath, ['dist/bench/upstream-server.js'], { core: 1 }, { readyJson: true });
 */
export async function startChild<T = Record<string, unknown>>(
  name: string,
  cmd: string,
  args: string[],
  where: Placement,
  o: { readyJson?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ child: BenchChild; ready: T | null }> {
  const [c, a] = placed(cmd, args, where);
  const proc = spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const child: BenchChild = { name, pid: proc.pid ?? -1, proc, stop: (graceMs = 5000) => stopProcess(child, graceMs) };
  live.add(child);
  proc.once('exit', () => live.delete(child));
  if (!o.readyJson) {
    proc.stdout!.resume();
    return { child, ready: null };
  }
  const ready = await new Promise<T>((done, fail) => {
    const lines = createInterface({ input: proc.stdout! });
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${o.timeoutMs ?? 15000} ms: ${stderr}`)),
      o.timeoutMs ?? 15000,
    );
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      proc.stdout!.resume();
      done(JSON.parse(line) as T);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${code}) before it was ready: ${stderr}`));
    });
  }).catch(async (e: Error) => {
    await child.stop(1000);
    throw e;
  });
  return { child, ready };
}

function stopProcess(child: BenchChild, graceMs: number): Promise<void> {
  const p = child.proc;
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('exit', () => {
      clearTimeout(force);
      done();
    });
    p.kill('SIGTERM');
  });
}

/**
 * Kill every child still running (SIGKILL). Installed on exit and on SIGINT/SIGTERM.
 *
 * @example
 * process.on('exit', killAll);
 */
export function killAll(): void {
  for (const c of live) c.proc.kill('SIGKILL');
  live.clear();
}

/**
 * Make sure no child outlives the benchmark, however it ends.
 *
 * @example
 * installCleanup();
 */
export function installCleanup(): void {
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}
