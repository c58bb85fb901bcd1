import type { CheckResult } from './checks';

/** A named readiness check. */
export type Check = () => Promise<CheckResult> | CheckResult;

/** The readiness report: ready only when every check is ok. */
export interface HealthReadiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/**
 * Run every check at once; a check that throws counts as failed.
 *
 * @example
 * const r = await runChecks({ redis: () => checkRedis(redis, 1000), legacy: () => checkReachable(url, 1000) });
 * r.ready; // true when both are ok
 */
export async function runChecks(checks: Record<string, Check>): Promise<HealthReadiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (n): Promise<CheckResult> => {
      try {
        return await checks[n]();
      } catch (e) {
        return { ok: false, ms: 0, detail: (e as Error).message };
      }
    }),
  );
  const out: Record<string, CheckResult> = {};
  names.forEach((n, i) => (out[n] = results[i]));
  return { ready: results.every((r) => r.ok), checks: out };
}
