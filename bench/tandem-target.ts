import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TandemOptions } from '../src/config';
import { startChild, type BenchChild } from './children';
import { freePort, waitUntil, type BenchEnv, type Target } from './bench-env';
import type { Scenario } from './scenarios';

/** The route the benchmark shadows, and the report token it reads counters with. */
export const BENCH_ROUTE = 'items';
const TOKEN = 'bench-report-token-0123456789';

/**
 * The Tandem config of a scenario: the benchmark route shadowed (or, for "no route
 * shadowed", a route on another path, so route matching still runs), everything else
 * at its defaults, log level `warn`.
 *
 * @example
 * tandemBenchConfig(scenario, env, 8080, 'bench-4').routes; // [{ name: 'items', match: 'GET /api/:size/:id' }]
 */
export function tandemBenchConfig(
  sc: Scenario,
  env: Pick<BenchEnv, 'legacyUrl' | 'candidateUrls' | 'redisUrl' | 'queue'>,
  port: number,
  prefix: string,
  side: { reportPort?: number; opsPort?: number } = {},
): TandemOptions {
  return {
    listen: { host: '127.0.0.1', port },
    legacy: { url: env.legacyUrl },
    candidate: { url: env.candidateUrls[sc.candidate ?? 'fast'], ...(sc.maxInFlight ? { maxInFlight: sc.maxInFlight } : {}) },
    redis: { url: env.redisUrl, prefix },
    // The report and operations have listeners of their own; free ports, so a run never collides with proxy port + 1, + 2.
    report: { token: TOKEN, listen: { host: '127.0.0.1', port: side.reportPort } },
    ops: { listen: { host: '127.0.0.1', port: side.opsPort } },
    log: { level: 'warn' },
    worker: { inProcess: sc.worker === 'in-process' },
    // Every exchange compared: a saturation run's backlog waits in Redis for the worker instead of being dropped past 5,000 jobs or 80,000 exchanges.
    // `--queue` settings on top (an A/B of queue settings on one build).
    ...(sc.compareAll || env.queue
      ? { queue: { ...(sc.compareAll ? { maxBacklog: 1_000_000, maxBacklogExchanges: 10_000_000 } : {}), ...env.queue } }
      : {}),
    routes: [{ name: BENCH_ROUTE, match: sc.shadow ? 'GET /api/:size/:id' : 'GET /elsewhere/:id' }],
  };
}

/**
 * Start Tandem as what users run: `tandem serve` pinned to core 0 and, for the
 * separate-worker scenarios, `tandem serve --no-worker` plus a `tandem worker` on the
 * same core at nice 19: comparisons use what the proxy leaves idle (at saturation the
 * backlog waits in Redis), and core 1 stays with the load generator, the upstreams and
 * Redis, as it does for the reference.
 *
 * @example
 * const t = await startTandemTarget(SCENARIOS[3], env);
 * // ... load t.url ...; await t.counters!(); await t.stop();
 */
export async function startTandemTarget(sc: Scenario, env: BenchEnv): Promise<Target> {
  const port = await freePort();
  const reportPort = await freePort();
  const opsPort = await freePort();
  const file = join(env.workDir, `tandem-${sc.id}.json`);
  writeFileSync(file, JSON.stringify(tandemBenchConfig(sc, env, port, `bench-${sc.id}`, { reportPort, opsPort }), null, 2));
  const bin = join(env.root, 'bin', 'tandem.js');
  // Node's flags and environment as `tandem` runs (its #! line), so a profile run keeps them; then --node-flags (the last of a flag wins).
  const flags = [...shebangNodeFlags(bin), ...(env.nodeFlags ?? [])];
  const traceGc = env.gcLogDir ? ['--trace-gc'] : [];
  const prof = env.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${env.profileDir}`, `--cpu-prof-name=tandem-${sc.id}.cpuprofile`] : [];
  const workerProf = env.profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${env.profileDir}`, `--cpu-prof-name=tandem-worker-${sc.id}.cpuprofile`]
    : [];
  const separate = sc.worker !== 'in-process';
  const children: BenchChild[] = [];
  const serve = (
    await startChild(
      `tandem serve (${sc.id})`,
      process.execPath,
      [...flags, ...traceGc, ...prof, bin, 'serve', '-c', file, ...(separate ? ['--no-worker'] : [])],
      { core: 0 },
      { env: shebangEnv(bin) },
    )
  ).child;
  children.push(serve);
  // --trace-gc prints on stdout: kept in a file, with the bench's marks written between its lines.
  const gcLog = env.gcLogDir ? createWriteStream(join(env.gcLogDir, `tandem-${sc.id}.log`)) : null;
  if (gcLog) serve.proc.stdout!.pipe(gcLog);
  const url = `http://127.0.0.1:${port}`;
  // The report (and its API) answers on its own listener since report.listen exists.
  const api = async (path: string) =>
    fetch(`http://127.0.0.1:${reportPort}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  try {
    if (separate)
      children.push(
        (
          await startChild(
            `tandem worker (${sc.id})`,
            process.execPath,
            [...flags, ...workerProf, bin, 'worker', '-c', file],
            { core: 0, nice: sc.worker === 'shared' ? 0 : 19 },
            { env: shebangEnv(bin) },
          )
        ).child,
      );
    await waitUntil(async () => (await api('/routes')).ok, 20_000, 'tandem serve');
  } catch (e) {
    await Promise.all(children.map((c) => c.stop(1000)));
    throw e;
  }
  return {
    url,
    // A worker sharing the proxy's core at its priority is part of what serves the load: its CPU and memory count.
    pids: () => (sc.worker === 'shared' ? [serve.pid, children[1].pid] : [serve.pid]),
    workerPid: separate && sc.worker !== 'shared' ? children[1].pid : undefined,
    // The serving process's own metrics (the ops listener), for its event-loop delay and GC time.
    async metrics() {
      return (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    },
    mark: gcLog ? (line: string) => void gcLog.write(`# ${line}\n`) : undefined,
    async counters() {
      const body = (await (await api('/routes')).json()) as { routes: { name: string; counters: Record<string, number> }[] };
      return body.routes.find((r) => r.name === BENCH_ROUTE)?.counters ?? {};
    },
    async stop() {
      // A graceful stop flushes what is queued (and writes the CPU profile).
      await serve.stop(15_000);
      await Promise.all(children.slice(1).map((c) => c.stop(5000)));
    },
  };
}

/**
 * What a script's `#!/usr/bin/env -S [NAME=value ...] node ...` line starts it with: the
 * environment variables it sets (glibc's malloc settings for bin/tandem.js) and the Node
 * flags (none for a plain `#!/usr/bin/env node`).
 *
 * @example
 * shebangOf('bin/tandem.js'); // { env: { MALLOC_MMAP_THRESHOLD_: '131072' }, flags: ['--max-semi-space-size=4', '--heap-growing-percent=100'] }
 */
export function shebangOf(script: string): { env: Record<string, string>; flags: string[] } {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0];
  const words = first
    .replace(/^#!\S*env\s+(-S\s+)?/, '')
    .split(/\s+/)
    .filter(Boolean);
  const env: Record<string, string> = {};
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name] = value.join('=');
  }
  return { env, flags: words[0] === 'node' ? words.slice(1) : [] };
}

/**
 * The Node flags on a script's `#!` line (see `shebangOf`).
 *
 * @example
 * shebangNodeFlags('bin/tandem.js'); // ['--max-semi-space-size=4', '--heap-growing-percent=100']
 */
export function shebangNodeFlags(script: string): string[] {
  return shebangOf(script).flags;
}

/**
 * The environment a `tandem` command gets from bin/tandem.js's `#!` line: this process's,
 * with the line's variables (glibc's malloc settings) on top.
 *
 * @example
 * startChild(name, process.execPath, [...shebangNodeFlags(bin), bin, 'worker'], { core: 0 }, { env: shebangEnv(bin) });
 */
export function shebangEnv(script: string): NodeJS.ProcessEnv {
  return { ...process.env, ...shebangOf(script).env };
}
