import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import type { ExchangeRecord } from '../../../src/records';
import { jobExchanges } from '../../../src/queue';

/**
 * Counters and queue depth of one Tandem prefix, read straight from Redis.
 *
 * @example
 * const { counters, pending }: StoreState = await readState(url, prefix, 'product');
 */
export interface StoreState {
  counters: Record<string, number>;
  /** Jobs not finished yet (waiting, active, delayed, prioritized). */
  pending: number;
  /** Exchanges in those jobs (a job packs up to `queue.packSize`). */
  pendingExchanges: number;
  failed: number;
}

/**
 * Read a route's counters and the queue's job counts under `prefix`.
 *
 * @example
 * const s = await readState('redis://127.0.0.1:6379', 'test-x', 'product');
 */
export async function readState(url: string, prefix: string, route: string, queueName = 'compare'): Promise<StoreState> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const queue = new Queue(queueName, { connection: redis, prefix: `{${prefix}}` });
  try {
    // The job counts first: a job leaves the queue only after its exchanges' counts are written,
    // so counters read after `pending` was 0 are final (read before, a job that completed
    // between the two reads showed no pending job and none of its counts: flaky under load).
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'waiting-children');
    const raw = await redis.hgetall(`{${prefix}}:route:${route}:counters`);
    const counters = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    const pending = counts.waiting + counts.active + counts.delayed + counts.prioritized + counts['waiting-children'];
    const jobs = pending ? await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']) : [];
    const pendingExchanges = jobs.reduce((n, job) => n + jobExchanges(job?.data).length, 0);
    return { counters, pending, pendingExchanges, failed: counts.failed };
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

/**
 * The sum of the `dropped:*` counters.
 *
 * @example
 * dropped({ compared: 3, 'dropped:buffer_full': 2 }); // 2
 */
export function dropped(counters: Record<string, number>): number {
  return Object.entries(counters).reduce((n, [k, v]) => (k.startsWith('dropped:') ? n + v : n), 0);
}

/**
 * The exchanges stored for a route (redacted, as the worker recorded them), oldest first.
 *
 * @example
 * const kinds = (await storedExchanges(url, prefix, 'product')).map((e) => e.candidateError?.kind);
 */
export async function storedExchanges(url: string, prefix: string, route: string): Promise<ExchangeRecord[]> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    const ids = await redis.zrange(`{${prefix}}:route:${route}:exchanges`, 0, -1);
    if (!ids.length) return [];
    const raw = await redis.mget(ids.map((id) => `{${prefix}}:exchange:${id}`));
    return raw.filter((s): s is string => s !== null).map((s) => JSON.parse(s) as ExchangeRecord);
  } finally {
    redis.disconnect();
  }
}

/**
 * How many of `items` have each value of `key(item)`.
 *
 * @example
 * tally([{ k: 'a' }, { k: 'a' }], (x) => x.k); // { a: 2 }
 */
export function tally<T>(items: T[], key: (t: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) {
    const k = key(t) ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
