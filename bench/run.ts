import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { canPin, installCleanup, killAll, startChild } from './children';
import type { BenchEnv } from './bench-env';
import { COMPARE_CASES } from './exchanges';
import { machineInfo } from './machine';
import { hasNginx } from './nginx-target';
import { BENCH_HELP, parseBenchOptions, type BenchOptions } from './options';
import { startBenchRedis, type BenchRedis } from './redis-child';
import type { BenchResults } from './results-types';
import { runScenario, type LoadPlan, type ScenarioResult } from './run-scenario';
import { pickLoadTool } from './saturate';
import { selectScenarios } from './scenarios';
import { splitProfiles } from './profile-split';
import { formatSummary } from './summary';
import { startUpstreams } from './upstreams';
import { e2eBench, e2eJobs, type E2eResult } from './worker-e2e';
import { redisCostBench, startBenchCluster, type RedisCostResult } from './worker-cluster';
import type { MicroResult } from './worker-micro';

/** The whole run is killed after this long, whatever happens. */
const WATCHDOG_MS = 20 * 60_000;

/**
 * `npm run bench`: start the upstreams and a private Redis, measure every scenario
 * one after the other, then the worker, write the results and print the summary.
 * Every child process is stopped at the end (and killed if the run dies).
 *
 * @example
 * await runBenchmark(parseBenchOptions(['--scenarios', '2,4']));
 */
export async function runBenchmark(o: BenchOptions): Promise<BenchResults> {
  const say = (msg: string) => process.stderr.write(`${msg}\n`);
  const root = resolve(__dirname, '..', '..');
  const resultsDir = join(root, 'bench', 'results');
  const workDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const profileDir = o.profile ? join(resultsDir, 'profiles') : undefined;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    // The split at the end covers this run's profiles only.
    for (const f of readdirSync(profileDir)) if (f.endsWith('.cpuprofile')) rmSync(join(profileDir, f));
  }
  const gcLogDir = o.traceGc ? join(resultsDir, 'gc') : undefined;
  if (gcLogDir) {
    mkdirSync(gcLogDir, { recursive: true });
    for (const f of readdirSync(gcLogDir)) if (f.endsWith('.log')) rmSync(join(gcLogDir, f));
  }
  const plan: LoadPlan = {
    sizes: o.sizes,
    tool: pickLoadTool(o.loadgen),
    connections: o.connections,
    warmupSec: o.warmupSec,
    saturateSec: o.saturateSec,
    fixedSec: o.fixedSec,
    fixedRounds: o.fixedRounds,
    rate: o.rate,
  };
  const results: BenchResults = { machine: machineInfo(canPin()), plan, notes: [], scenarios: [], worker: null };
  if (!canPin())
    results.notes.push('taskset or a second core is missing: processes are not pinned, figures mix proxy and load generator CPU');
  let redis: BenchRedis | null = null;
  const upstreams = await startUpstreams(__dirname);
  try {
    redis = await startBenchRedis();
    const env: BenchEnv = {
      root,
      benchDir: __dirname,
      workDir,
      redisUrl: redis.url,
      profileDir,
      nodeFlags: o.nodeFlags,
      gcLogDir,
      ...(Object.keys(o.queue).length ? { queue: o.queue } : {}),
      ...upstreams,
    };
    for (const sc of o.clusterOnly || o.workerOnly ? [] : selectScenarios(o.scenarios)) {
      say(`(${sc.id}) ${sc.title}`);
      if (sc.kind === 'nginx' && !hasNginx()) {
        results.scenarios.push(skipped(sc, 'nginx is not installed (apt-get install -y nginx)'));
        say('  skipped: nginx is not installed');
        continue;
      }
      try {
        results.scenarios.push(await runScenario(sc, env, plan, say));
      } catch (e) {
        results.scenarios.push(skipped(sc, `failed: ${(e as Error).message}`));
        say(`  failed: ${(e as Error).message}`);
      }
      await redis.flush();
    }
    if ((o.worker && !o.clusterOnly) || o.workerOnly)
      results.worker = await workerBench(env, redis, o.workerOnly ? o.sizes : undefined, say);
    if ((o.cluster || o.clusterOnly) && !o.workerOnly) results.redisCost = await redisCostBenches(env, redis, o, say);
  } finally {
    await redis?.stop();
    await upstreams.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  if (profileDir) results.profiles = splitProfiles(profileDir);
  const out = o.out ? resolve(o.out) : join(resultsDir, 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  say(`\nresults: ${out}`);
  return results;
}

function skipped(sc: { id: string; title: string; kind: ScenarioResult['kind']; extra?: boolean }, why: string): ScenarioResult {
  return { id: sc.id, title: sc.title, kind: sc.kind, extra: !!sc.extra, sizes: {}, peakRssMb: null, skipped: why };
}

/**
 * Comparisons per second: in-process on core 0, then through Redis with `tandem worker` on core 0;
 * every case, or those of `sizes` (`--worker-only`).
 */
async function workerBench(
  env: BenchEnv,
  redis: BenchRedis,
  sizes: string[] | undefined,
  say: (msg: string) => void,
): Promise<{ micro: MicroResult[]; e2e: E2eResult[] }> {
  say('worker, in-process');
  const { child, ready } = await startChild<{ results: MicroResult[] }>(
    'worker micro-benchmark',
    process.execPath,
    [join(env.benchDir, 'worker-micro.js'), '1500', ...(sizes ?? [])],
    { core: 0 },
    {
      readyJson: true,
      timeoutMs: 120_000,
    },
  );
  await child.stop(1000);
  const micro = ready!.results;
  micro.forEach((m) => say(`  ${m.case}: ${m.perSecond}/s (${m.result})`));
  say('worker, through Redis');
  const e2e: E2eResult[] = [];
  for (const c of COMPARE_CASES.filter((x) => !sizes || sizes.includes(x.size))) {
    try {
      const r = await e2eBench(c, env, e2eJobs(c));
      e2e.push(r);
      say(`  ${r.case}: ${r.perSecond}/s`);
    } catch (e) {
      say(`  ${c.size} ${c.differ ? 'differing' : 'equal'}: failed: ${(e as Error).message}`);
    }
    await redis.flush();
  }
  return { micro, e2e };
}

/**
 * What an exchange costs Redis through `tandem worker`: the 2 KB cases on the bench's
 * single Redis, then on a private cluster (three masters, a replica each, all on core 1),
 * with per-route tags (the default there) and `--cluster-partitions` queue partitions.
 */
async function redisCostBenches(env: BenchEnv, redis: BenchRedis, o: BenchOptions, say: (msg: string) => void): Promise<RedisCostResult[]> {
  const out: RedisCostResult[] = [];
  const cases = COMPARE_CASES.filter((c) => c.size === '2k');
  const routes = o.clusterRoutes;
  say(`Redis cost per exchange, worker through Redis (${o.clusterExchanges} exchanges over ${routes} routes per case)`);
  const report = (r: RedisCostResult) =>
    say(
      `  ${r.target}, ${r.case}: ${r.opsPerExchange} commands and ${r.cpuMsPerExchange} ms Redis CPU per exchange; ` +
        `per master ${r.shards.map((sh) => `${Math.round(sh.share * 100)}%`).join(' / ')}; ${r.perSecond}/s`,
    );
  for (const c of cases) {
    try {
      const r = await redisCostBench(redis.url, env, c, o.clusterExchanges, routes);
      out.push(r);
      report(r);
    } catch (e) {
      say(`  single Redis, ${c.size} ${c.differ ? 'differing' : 'equal'}: failed: ${(e as Error).message}`);
    }
    await redis.flush();
  }
  let cluster: ReturnType<typeof startBenchCluster> | null = null;
  try {
    cluster = startBenchCluster(env.root, o.clusterPort);
    const extra = { queue: { partitions: o.clusterPartitions, spread: o.clusterSpread } };
    for (const c of cases) {
      try {
        const r = await redisCostBench({ cluster: { nodes: cluster.nodes } }, env, c, o.clusterExchanges, routes, extra);
        out.push(r);
        report(r);
      } catch (e) {
        say(`  cluster, ${c.size} ${c.differ ? 'differing' : 'equal'}: failed: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    say(`  cluster: could not start one: ${(e as Error).message}`);
  } finally {
    cluster?.stop();
  }
  return out;
}

if (require.main === module) {
  installCleanup();
  const watchdog = setTimeout(() => {
    process.stderr.write(`benchmark still running after ${WATCHDOG_MS / 60_000} minutes: stopping it\n`);
    killAll();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${BENCH_HELP}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${BENCH_HELP}\n`);
    process.exit(0);
  }
  runBenchmark(options).then(
    (results) => {
      process.stdout.write(`\n${formatSummary(results)}\n`);
      process.exit(0);
    },
    (e: Error) => {
      process.stderr.write(`benchmark failed: ${e.stack ?? e.message}\n`);
      process.exit(1);
    },
  );
}
