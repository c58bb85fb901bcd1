import type { TandemConfig } from '../config';
import type { ExchangeRecord } from '../records';
import type { RuntimeRules } from '../rules';
import { isSafeMethod } from '../upstream';

/**
 * How long a job waits before it looks at the noise model again.
 *
 * @example
 * await job.moveToDelayed(Date.now() + WARMUP_RETRY_MS, token);
 */
export const WARMUP_RETRY_MS = 500;

/**
 * True when an exchange should wait for its route's noise model before it is compared:
 * noise repeats are on (`noise.repeatRate` > 0), the exchange is a GET/HEAD without a
 * legacy repeat of its own, with a candidate answer, the route has fewer repeated
 * requests than `noise.learnSamples` so far, and it arrived less than `noise.warmupMs`
 * ago. Without this, the first exchanges of a route would be compared before learned
 * noise exists and show timestamps or ids as mismatches.
 *
 * @example
 * if (await waitsForNoiseModel(ex, rules, config.noise)) { await job.moveToDelayed(Date.now() + WARMUP_RETRY_MS, token); throw new DelayedError(); }
 */
export async function waitsForNoiseModel(
  ex: ExchangeRecord,
  rules: RuntimeRules,
  noise: Pick<TandemConfig['noise'], 'repeatRate' | 'learnSamples' | 'warmupMs'>,
  now = Date.now(),
): Promise<boolean> {
  if (!(noise.repeatRate > 0) || !(noise.warmupMs > 0) || ex.legacyRepeat) return false;
  if (!ex.candidate || ex.candidateError || ex.translationError) return false;
  if (!isSafeMethod(ex.request.method)) return false;
  if (now - ex.at >= noise.warmupMs) return false;
  const state = await rules.state(ex.route);
  return state.evidence.repeats < noise.learnSamples;
}
