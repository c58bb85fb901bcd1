import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../src/config';
import { addPackedJobs, createQueue, COMPARE_JOB, packJobs } from '../src/queue';
import { openRedis, storeKeys } from '../src/store';
import { startChild } from './children';
import { benchExchange, caseName, type CompareCase } from './exchanges';
import { peakRssMb } from './proc-stats';

/** The configured default of `queue.packSize`, as `tandem serve` packs jobs. */
const PACK_SIZE = configSchema.shape.queue.parse({}).packSize;

/** Comparisons per second of one case through Redis: BullMQ job in, result recorded. */
export interface E2eResult {
  case: string;
  jobs: number;
  perSecond: number;
  workerPeakRssMb: number | null;
}

/**
 * Queue `jobs` exchanges of a case, then start `tandem worker` (defaults: concurrency 8)
 * pinned to core 0, and time it from 10% to 90% of the results recorded (start-up
 * and tail left out). Redis runs on the other core.
 *
 * @example
 * const r = await e2eBench({ size: '2k', differ: false }, { root, workDir, redisUrl }, 8000);
 */
export async function e2eBench(c: CompareCase, env: { root: string; workDir: string; redisUrl: string }, jobs: number): Promise<E2eResult> {
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
    const { child } = await startChild(
      `tandem worker (${caseName(c)})`,
      process.execPath,
      [join(env.root, 'bin', 'tandem.js'), 'worker', '-c', file],
      { core: 0 },
    );
    try {
      const key = storeKeys(prefix).counters('items');
      const at = await timesAt(async () => Number((await redis.hget(key, 'compared')) ?? 0), [0.1 * jobs, 0.9 * jobs], 120_000);
      return {
        case: caseName(c),
        jobs,
        perSecond: Math.round((0.8 * jobs) / ((at[1] - at[0]) / 1000)),
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

/** Poll `count` until it passes each threshold; the times (ms) each was first passed. */
async function timesAt(count: () => Promise<number>, thresholds: number[], timeoutMs: number): Promise<number[]> {
  const times: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (times.length < thresholds.length) {
    if (Date.now() > deadline) throw new Error(`the worker compared too few exchanges within ${timeoutMs} ms`);
    const n = await count();
    const now = performance.now();
    while (times.length < thresholds.length && n >= thresholds[times.length]) times.push(now);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}
