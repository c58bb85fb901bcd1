import { matchFigures, tallyClasses } from '../store';
import type { Readiness } from './types';

/**
 * The readiness guard's settings (the `rollout` config block).
 *
 * @example
 * const s: ReadinessSettings = { threshold: 0.99, window: 200, minCompared: 20 };
 */
export interface ReadinessSettings {
  threshold: number;
  window: number;
  minCompared: number;
}

/**
 * Readiness from the window's outcomes (newest first; each a result class, or '1'/'0'
 * as older windows stored them): ready when at least `minCompared` results are in the
 * window and the match rate (the store's one `matchFigures`: errors count against it)
 * reaches the threshold.
 *
 * @example
 * readinessOf(['match', 'noise_only', 'candidate_error'], { threshold: 0.5, window: 200, minCompared: 2 });
 * // { compared: 3, matches: 2, matchRate: 0.666…, threshold: 0.5, window: 200, minCompared: 2, ready: true }
 */
export function readinessOf(outcomes: readonly string[], s: ReadinessSettings): Readiness {
  const f = matchFigures(tallyClasses(outcomes.slice(0, s.window)));
  const compared = f.results;
  const ready = compared > 0 && compared >= s.minCompared && (f.rate ?? 0) >= s.threshold;
  return { compared, matches: f.matches, matchRate: f.rate, threshold: s.threshold, window: s.window, minCompared: s.minCompared, ready };
}

/**
 * Why a move was refused, with the figures.
 *
 * @example
 * refusalMessage('route "product"', 'candidate', readinessOf(['0'], { threshold: 0.99, window: 200, minCompared: 1 }));
 * // 'route "product" is not ready for candidate: match rate 0.0% over the last 1 compared requests (window 200) is below 99.0%; …'
 */
export function refusalMessage(subject: string, phase: string, r: Readiness): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const why = r.notCompared
    ? `it is never compared: ${r.notCompared}`
    : r.compared < r.minCompared || r.compared === 0
      ? `only ${r.compared} compared requests in the window (${r.window}), at least ${r.minCompared} are needed` +
        (r.matchRate === null ? '' : `; match rate so far ${pct(r.matchRate)}`)
      : `match rate ${pct(r.matchRate ?? 0)} over the last ${r.compared} compared requests (window ${r.window}) is below ${pct(r.threshold)}`;
  return `${subject} is not ready for ${phase}: ${why}; send "force": true to override`;
}
