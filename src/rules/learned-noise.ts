import { compilePathPattern } from '../compare';

/**
 * When a path counts as learned noise: it differed legacy-vs-legacy in at least
 * `learnRate` of the route's repeated requests, and the route has at least
 * `learnSamples` of them (`noise.learnRate`, `noise.learnSamples` in the config).
 *
 * @example
 * const t: NoiseLearning = { learnRate: 0.5, learnSamples: 5 };
 */
export interface NoiseLearning {
  learnRate: number;
  learnSamples: number;
}

/**
 * The evidence of a route: how many repeated requests it had, and per generalised
 * path in how many of them legacy differed from itself.
 *
 * @example
 * const e: NoiseEvidence = { repeats: 20, differed: { ts: 20, requestId: 20, price: 1 } };
 */
export interface NoiseEvidence {
  repeats: number;
  differed: Record<string, number>;
}

/**
 * True when the evidence makes `path` learned noise (before any "not noise" override).
 *
 * @example
 * isLearned({ repeats: 5, differed: { ts: 3 } }, 'ts', { learnRate: 0.5, learnSamples: 5 }); // true
 * isLearned({ repeats: 4, differed: { ts: 4 } }, 'ts', { learnRate: 0.5, learnSamples: 5 }); // false: too few samples
 */
export function isLearned(e: NoiseEvidence, path: string, t: NoiseLearning): boolean {
  if (e.repeats < t.learnSamples || e.repeats <= 0) return false;
  return (e.differed[path] ?? 0) / e.repeats >= t.learnRate;
}

/**
 * The learned-noise paths of a route, sorted, minus those marked "not noise". A path
 * that is not a valid pattern (it could not be matched) is left out.
 *
 * @example
 * learnedNoise({ repeats: 10, differed: { ts: 10, price: 1 } }, { learnRate: 0.5, learnSamples: 5 }); // ['ts']
 * learnedNoise({ repeats: 10, differed: { ts: 10 } }, { learnRate: 0.5, learnSamples: 5 }, ['ts']); // []
 */
export function learnedNoise(e: NoiseEvidence, t: NoiseLearning, notNoise: readonly string[] = []): string[] {
  const excluded = new Set(notNoise);
  return Object.keys(e.differed)
    .filter((p) => !excluded.has(p) && isLearned(e, p, t) && isPattern(p))
    .sort();
}

function isPattern(p: string): boolean {
  if (p === '$body') return true;
  try {
    compilePathPattern(p);
    return true;
  } catch {
    return false;
  }
}
