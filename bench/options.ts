import { parseArgs } from 'node:util';
import { SIZE_NAMES, type SizeName } from './payloads';
import type { LoadTool } from './saturate';

/** What `npm run bench -- ...` was asked to do. */
export interface BenchOptions {
  scenarios?: string;
  sizes: SizeName[];
  saturateSec: number;
  fixedSec: number;
  /** Fixed-rate rounds per scenario and size; the median round's figures are reported. */
  fixedRounds: number;
  warmupSec: number;
  rate: number;
  connections: number;
  loadgen: LoadTool | 'auto';
  worker: boolean;
  /** The Redis cost bench: single Redis against a private 3-master cluster. */
  cluster: boolean;
  /** Only the Redis cost bench (no scenarios, no other worker bench). */
  clusterOnly: boolean;
  /** Only the worker benchmarks (in process and through Redis), for the `--sizes` given. */
  workerOnly: boolean;
  /** Exchanges per case in the Redis cost bench. */
  clusterExchanges: number;
  /** First port of the private cluster (six ports from it). */
  clusterPort: number;
  /** `queue.partitions` on the cluster. */
  clusterPartitions: number;
  /** Routes the exchanges are spread over (round-robin). */
  clusterRoutes: number;
  /** `queue.spread` on the cluster. */
  clusterSpread: 'route' | 'even';
  profile: boolean;
  /** Extra Node flags for Tandem's processes, after the `#!` line's (so a flag given here wins). */
  nodeFlags: string[];
  /** Run `tandem serve` with `--trace-gc`, its output (with the fixed-rate rounds marked) in `bench/results/gc/`. */
  traceGc: boolean;
  /** Settings merged into Tandem's `queue` config (`--queue '{"lingerMs":0}'`): A/B of queue settings on one build. */
  queue: Record<string, unknown>;
  out?: string;
  help: boolean;
}

export const BENCH_HELP = `npm run bench -- [options]

Measures Tandem against a plain express + http-proxy-middleware proxy (the reference)
and nginx's mirror module, on 127.0.0.1, then the worker's comparisons per second,
then what an exchange costs Redis on one Redis and on a Redis Cluster. Writes
bench/results/latest.json and prints a summary. Takes about 13 minutes.

  --scenarios <ids>     comma-separated scenario ids (1,2,3,4,4i,4w,5,5-64,6,7,7s); default all
  --sizes <list>        response sizes: 2k,20k (default both)
  --duration <s>        seconds at saturation per scenario and size (default 6)
  --fixed-duration <s>  seconds per fixed-rate round (default 3)
  --fixed-rounds <n>    fixed-rate rounds; p50 and p99 are their medians (default 3)
  --warmup <s>          warm-up seconds before measuring (default 2)
  --rate <n>            the fixed rate for latency, req/s (default 1000)
  --connections <n>     connections at saturation (default 50)
  --loadgen <tool>      wrk, autocannon or auto (wrk when installed; default auto)
  --no-worker-bench     skip the worker benchmarks
  --no-cluster-bench    skip the Redis cost benchmark (worker through Redis: one Redis,
                        then a private Redis Cluster of three masters with a replica each)
  --cluster-only        run only the Redis cost benchmark (about 2 minutes)
  --worker-only         run only the worker benchmarks, in process and through Redis,
                        for the --sizes given (about 1 minute; with --profile, the
                        worker's profiles are bench-e2e-<size>-<e|d>.cpuprofile)
  --cluster-exchanges <n>  exchanges per case in it (default 3000)
  --cluster-routes <n>  routes they are spread over, round-robin (default 48)
  --cluster-port <n>    first of the six ports of its cluster (default 7200)
  --cluster-partitions <n>  queue.partitions on the cluster (default 9)
  --cluster-spread <s>  queue.spread on the cluster: route or even (default route)
  --profile             run Tandem with node --cpu-prof (profiles in bench/results/profiles/,
                        cleared at the start); the summary shows where each process's
                        busy time went, by category (GC, socket calls, Tandem's folders...)
  --node-flags <flags>  extra Node flags for Tandem's processes, after the #! line's
                        (a flag given here wins): A/B of GC settings on one build, e.g.
                        --node-flags="--max-semi-space-size=8" (with "=": a value
                        starting with "-" after a space is refused as ambiguous)
  --trace-gc            run tandem serve with node --trace-gc; its output, with the
                        fixed-rate rounds' start and end marked, goes to
                        bench/results/gc/tandem-<scenario>.log (cleared at the start)
  --queue <json>        settings merged into Tandem's queue config, e.g.
                        --queue='{"lingerMs":0,"packSize":16}' (A/B of queue settings
                        on one build)
  --out <file>          result file (default bench/results/latest.json)
  -h, --help            this text`;

/**
 * Parse the benchmark's command line; throws with a clear message on bad values.
 *
 * @example
 * parseBenchOptions(['--scenarios', '2,4', '--duration', '3']).saturateSec; // 3
 */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenarios: { type: 'string' },
      sizes: { type: 'string', default: SIZE_NAMES.join(',') },
      duration: { type: 'string', default: '6' },
      'fixed-duration': { type: 'string', default: '3' },
      'fixed-rounds': { type: 'string', default: '3' },
      warmup: { type: 'string', default: '2' },
      rate: { type: 'string', default: '1000' },
      connections: { type: 'string', default: '50' },
      loadgen: { type: 'string', default: 'auto' },
      'no-worker-bench': { type: 'boolean', default: false },
      'no-cluster-bench': { type: 'boolean', default: false },
      'cluster-only': { type: 'boolean', default: false },
      'worker-only': { type: 'boolean', default: false },
      'cluster-exchanges': { type: 'string', default: '3000' },
      'cluster-port': { type: 'string', default: '7200' },
      'cluster-partitions': { type: 'string', default: '9' },
      'cluster-routes': { type: 'string', default: '48' },
      'cluster-spread': { type: 'string', default: 'route' },
      profile: { type: 'boolean', default: false },
      'node-flags': { type: 'string', default: '' },
      'trace-gc': { type: 'boolean', default: false },
      queue: { type: 'string', default: '{}' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values['worker-only'] && values['cluster-only']) throw new Error('--worker-only and --cluster-only exclude each other');
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${v}"`);
    return n;
  };
  const sizes = values.sizes.split(',').map((s) => s.trim()) as SizeName[];
  const badSize = sizes.find((s) => !SIZE_NAMES.includes(s));
  if (badSize) throw new Error(`--sizes: unknown size "${badSize}"; known: ${SIZE_NAMES.join(', ')}`);
  if (!['auto', 'wrk', 'autocannon'].includes(values.loadgen))
    throw new Error(`--loadgen must be wrk, autocannon or auto, got "${values.loadgen}"`);
  return {
    scenarios: values.scenarios,
    sizes,
    saturateSec: num('duration', values.duration, 1),
    fixedSec: num('fixed-duration', values['fixed-duration'], 1),
    fixedRounds: Math.round(num('fixed-rounds', values['fixed-rounds'], 1)),
    warmupSec: num('warmup', values.warmup, 0),
    rate: num('rate', values.rate, 1),
    connections: num('connections', values.connections, 1),
    loadgen: values.loadgen as BenchOptions['loadgen'],
    worker: !values['no-worker-bench'],
    cluster: !values['no-cluster-bench'],
    clusterOnly: values['cluster-only'],
    workerOnly: values['worker-only'],
    clusterExchanges: Math.round(num('cluster-exchanges', values['cluster-exchanges'], 100)),
    clusterPort: Math.round(num('cluster-port', values['cluster-port'], 1024)),
    clusterPartitions: Math.round(num('cluster-partitions', values['cluster-partitions'], 1)),
    clusterRoutes: Math.round(num('cluster-routes', values['cluster-routes'], 1)),
    clusterSpread: parseSpread(values['cluster-spread']),
    profile: values.profile,
    nodeFlags: values['node-flags'].split(/\s+/).filter(Boolean),
    traceGc: values['trace-gc'],
    queue: parseQueue(values.queue),
    out: values.out,
    help: values.help,
  };
}

function parseQueue(v: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new Error(`--queue must be a JSON object, got "${v}"`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`--queue must be a JSON object, got "${v}"`);
  return parsed as Record<string, unknown>;
}

function parseSpread(v: string): 'route' | 'even' {
  if (v !== 'route' && v !== 'even') throw new Error(`--cluster-spread must be route or even, got "${v}"`);
  return v;
}
