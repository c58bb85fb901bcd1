import type { RedisClient } from '../store';
import { checkReachable, checkRedis, checkWorker } from './checks';
import { runChecks, type Check, type HealthReadiness } from './readiness';

/** Where the readiness checks look; getters, because Redis and the worker start later. */
export interface ReadinessSources {
  /** A Redis connection that fails fast while Redis is away (the producer's). */
  redis(): RedisClient | null | undefined;
  /** The in-process worker; leave out when comparisons run in separate `tandem worker` processes. */
  worker?: () => { running(): boolean } | null | undefined;
  /** Legacy's base URL (`tandem serve` only). */
  legacyUrl?: string;
  timeoutMs: number;
}

/**
 * Tandem's readiness: RedisClient answers, the worker runs (when this process has one),
 * legacy accepts connections (when this process proxies).
 *
 * @example
 * const readiness = tandemReadiness({ redis: () => redis, worker: () => worker, legacyUrl: config.legacy.url, timeoutMs: 1000 });
 * (await readiness()).ready;
 */
export function tandemReadiness(s: ReadinessSources): () => Promise<HealthReadiness> {
  const checks: Record<string, Check> = { redis: () => checkRedis(s.redis(), s.timeoutMs) };
  const worker = s.worker;
  if (worker) checks.worker = () => checkWorker(worker());
  const legacy = s.legacyUrl;
  if (legacy) checks.legacy = () => checkReachable(legacy, s.timeoutMs);
  return () => runChecks(checks);
}
