import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../src/config';
import { addPackedJobs, createQueue, COMPARE_JOB, packJobs } from '../src/queue';
import { openRedis, storeKeys, type RedisClient } from '../src/store';
import { startChild } from './children';
import { benchExchange, caseName, type CompareCase } from './exchanges';
import { cpuSeconds, peakRssMb } from './proc-stats';
import { shebangEnv, shebangNodeFlags } from './tandem-target';

/**
 * Exchanges queued per case of the worker bench: enough that its measuring window (10% to
 * 90% of them compared) starts after a fresh worker's burst of stored exchange records
 * (`retention.exchangesPerRoute` of them stored in full before `retention.exchangesPerSecond`
 * rules, see StoreSampler), so it measures the steady state; at least 8,000 for 2 KB and
 * 3,000 for 20 KB, as before sampling, for a window of a few seconds.
 *
 * @example
 * e2eJobs({ size: '20k', differ: false }); // 10000 with the default exchangesPerRoute of 1000
 */
export function e2eJobs(c: CompareCase): number {
  const burst = configSchema.shape.retention.parse({}).exchangesPerRoute;
  return Math.max(c.size === '2k' ? 8000 : 3000, 10 * burst);
}

/** The configured default of `queue.packSize`, as `tandem serve` packs jobs. */
const PACK_SIZE = configSchema.shape.queue.parse({}).packSize;

/** Comparisons per second of one case through Redis: BullMQ job in, result recorded. */
export interface E2eResult {
  case: string;
  jobs: number;
  perSecond: number;
  /**
   * CPU µs per compared exchange between the 10% and 90% marks: the worker's (user + system,
   * from /proc) and Redis's (`INFO cpu`). Less disturbed by other load than `perSecond`.
   */
  workerCpuUs: number | null;
  redisCpuUs: number | null;
  workerPeakRssMb: number | null;
}

/**
 * Queue `jobs` exchanges of a case, then start `tandem worker` (defaults: concurrency 8;
 * Node's flags of the `#!` line of bin/tandem.js, as `tandem` runs, then `env.nodeFlags`) pinned to core 0, and time it from 10% to 90% of the results recorded (start-up
 * and tail left out). Redis runs on the other core. With `env.profileDir` the worker runs
 * with `node --cpu-prof` and writes `<profileDir>/bench-e2e-<size>-<e|d>.cpuprofile`.
 *
 * @example
 * const r = await e2eBench({ size: '2k', differ: false }, { root, workDir, redisUrl }, 8000);
 */
export async function e2eBench(
  c: CompareCase,
  env: { root: string; workDir: string; redisUrl: string; profileDir?: string; nodeFlags?: string[] },
  jobs: number,
): Promise<E2eResult> {
  const prefix = `bench-e2e-${c.size}-${c.differ ? 'd' : 'e'}`;
  const redis = openRedis(env.redisUrl, 'client');
  const queue = createQueue(redis, { prefix, name: 'compare' });
  try {
    for (let i = 0; i < jobs; i += 500) {
      const batch = Array.from({ length: Math.min(500, jobs - i) }, (_, k) => benchExchange(`${prefix}-${i + k}`, c));
      // Queued as the ingress queues under load: packs of queue.packSize (its default) exchanges per job, bodies as parts.
      await addPackedJobs(
        queue,
        redis,
        packJobs(batch, PACK_SIZE, COMPARE_JOB, (id) => `${queue.qualifiedName}:bodies:${id}`),
      );
    }
    const file = join(env.workDir, `${prefix}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        legacy: { url: 'http://127.0.0.1:9' },
        candidate: { url: 'http://127.0.0.1:9' },
        redis: { url: env.redisUrl, prefix },
        report: { token: 'bench-report-token-0123456789' },
        log: { level: 'warn' },
        routes: [{ name: 'items', match: 'GET /api/:size/:id' }],
      }),
    );
    const bin = join(env.root, 'bin', 'tandem.js');
    const { child } = await startChild(
      `tandem worker (${caseName(c)})`,
      process.execPath,
      // Node's flags and environment as `tandem worker` runs (the #! line of bin/tandem.js), as the scenarios run theirs.
      [...shebangNodeFlags(bin), ...(env.nodeFlags ?? []), ...profileFlags(env.profileDir, prefix), bin, 'worker', '-c', file],
      { core: 0 },
      { env: shebangEnv(bin) },
    );
    try {
      const key = storeKeys(prefix).counters('items');
      const cpu = async () => ({ worker: cpuSeconds(child.pid), redis: await redisCpuSeconds(redis) });
      const at = await timesAt(async () => Number((await redis.hget(key, 'compared')) ?? 0), [0.1 * jobs, 0.9 * jobs], 120_000, cpu);
      const perExchange = (a: number | null, b: number | null) =>
        a === null || b === null ? null : Math.round(((b - a) * 1e6) / (0.8 * jobs));
      return {
        case: caseName(c),
        jobs,
        perSecond: Math.round((0.8 * jobs) / ((at[1].ms - at[0].ms) / 1000)),
        workerCpuUs: perExchange(at[0].worker, at[1].worker),
        redisCpuUs: perExchange(at[0].redis, at[1].redis),
        workerPeakRssMb: peakRssMb(child.pid),
      };
    } finally {
      await child.stop(5000);
    }
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** `node --cpu-prof` flags writing `<dir>/<name>.cpuprofile` (none without a directory). */
function profileFlags(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** Redis's CPU seconds so far (user + system, main thread and children), from `INFO cpu`. */
async function redisCpuSeconds(redis: RedisClient): Promise<number | null> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  const s = field('used_cpu_user') + field('used_cpu_sys');
  return Number.isFinite(s) ? s : null;
}

/** Poll `count` until it passes each threshold; when each was first passed (ms) and what `snapshot` read then. */
async function timesAt<T>(
  count: () => Promise<number>,
  thresholds: number[],
  timeoutMs: number,
  snapshot: () => Promise<T>,
): Promise<(T & { ms: number })[]> {
  const times: (T & { ms: number })[] = [];
  const deadline = Date.now() + timeoutMs;
  while (times.length < thresholds.length) {
    if (Date.now() > deadline) throw new Error(`the worker compared too few exchanges within ${timeoutMs} ms`);
    const n = await count();
    const now = performance.now();
    if (times.length < thresholds.length && n >= thresholds[times.length]) {
      const snap = await snapshot();
      while (times.length < thresholds.length && n >= thresholds[times.length]) times.push({ ...snap, ms: now });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}
