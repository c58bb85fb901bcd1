import type { ResultHook } from '../worker/pack-comparer';
import type { TandemMetrics } from './tandem-metrics';

export type { ResultHook };

/**
 * The worker's result hook: counts each recorded result (a duplicate is not counted
 * again), hands it to the notifier, then to `also` (e.g. `tandem replay` waiting for
 * its results). The worker logs a hook that throws; it never fails the job.
 *
 * @example
 * const onResult = resultHook(metrics, () => notifier);
 * onResult(exchange, result, 'recorded');
 */
export function resultHook(
  metrics: TandemMetrics | undefined,
  notifier: () => { onResult: ResultHook } | null | undefined,
  also?: ResultHook,
): ResultHook {
  return (exchange, result, outcome) => {
    if (outcome !== 'duplicate') metrics?.result(exchange.route, result.class, result.risk);
    notifier()?.onResult(exchange, result, outcome);
    also?.(exchange, result, outcome);
  };
}
