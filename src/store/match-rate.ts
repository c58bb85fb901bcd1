import type { ResultClass } from '../records';

/**
 * THE match rate. Every page, the API, the CLI, the metrics, the notifier and the
 * rollout's readiness guard compute it with `matchFigures` (or `matchRate`), over
 * whatever set of results they show (all-time route counters, one customer's counters,
 * the guard's window of the last N results).
 *
 *   match rate = (match + noise_only) / every recorded result
 *
 * Every recorded result counts: a mismatch, and every error class (`candidate_error`,
 * `translation_error`, `unparseable`, `too_large`) counts AGAINST the rate, because
 * in none of them was the candidate's answer shown to equal legacy's. A route where a
 * quarter of the candidate's answers are 500s (or timeouts) is at most 75%. A mismatch
 * whose pair duplicates a stored one is still a recorded result and counts. Exchanges
 * never compared (skipped, dropped) are outside it. Null when nothing was recorded.
 */

/** Classes counted as a match: equal, or differing only where legacy differs from itself. */
export const MATCHING_CLASSES: readonly ResultClass[] = ['match', 'noise_only'];

/** Classes counted against the match rate: a real difference, or no verdict at all. */
export const FAILING_CLASSES: readonly ResultClass[] = ['mismatch', 'candidate_error', 'translation_error', 'unparseable', 'too_large'];

/** The error classes: compared, no verdict on equality; each counts against the rate. */
export const ERROR_CLASSES = ['candidate_error', 'translation_error', 'unparseable', 'too_large'] as const satisfies readonly ResultClass[];

/**
 * The figures behind a match rate.
 *
 * @example
 * const f: MatchFigures = { results: 4, matches: 3, mismatches: 0, errors: 1, rate: 0.75 };
 */
export interface MatchFigures {
  /** Every recorded result: the rate's denominator. */
  results: number;
  /** `match` + `noise_only`: the numerator. */
  matches: number;
  mismatches: number;
  /** Sum of the error classes. */
  errors: number;
  /** matches / results, 0..1; null when `results` is 0. */
  rate: number | null;
}

/**
 * Match figures from counts by result class (a route's or customer's counters hash, or
 * a tally of the readiness window). Other fields (`compared`, `seen`, `shadowed`, ...)
 * are ignored: the denominator is the sum of the result classes.
 *
 * @example
 * matchFigures({ match: 3, candidate_error: 1, seen: 9 });
 * // { results: 4, matches: 3, mismatches: 0, errors: 1, rate: 0.75 }
 */
export function matchFigures(counts: Readonly<Record<string, number | undefined>>): MatchFigures {
  const n = (k: string) => Number(counts[k] ?? 0) || 0;
  const matches = MATCHING_CLASSES.reduce((s, k) => s + n(k), 0);
  const errors = ERROR_CLASSES.reduce((s, k) => s + n(k), 0);
  const mismatches = n('mismatch');
  const results = matches + mismatches + errors;
  return { results, matches, mismatches, errors, rate: results ? matches / results : null };
}

/**
 * THE share of a route's comparisons that something (a field that differed, a root cause)
 * took part in: `count / compared`, 0..1; null before any comparison (0/0). The field tree's
 * "Of compared" and the causes' share are this one division.
 *
 * @example
 * shareOfCompared(19, 100); // 0.19
 * shareOfCompared(0, 0); // null
 */
export function shareOfCompared(count: number, compared: number): number | null {
  return compared > 0 ? count / compared : null;
}

/**
 * The match rate alone (see `matchFigures`): 0..1, null before any result.
 *
 * @example
 * matchRate({ match: 3, mismatch: 1 }); // 0.75
 * matchRate({ match: 3, candidate_error: 1 }); // 0.75
 */
export function matchRate(counts: Readonly<Record<string, number | undefined>>): number | null {
  return matchFigures(counts).rate;
}

/**
 * Tally a list of result classes (the readiness window) into counts for `matchFigures`.
 * The window's older entries, '1' (a match) and '0' (anything else), are read as
 * `match` and `mismatch`.
 *
 * @example
 * matchFigures(tallyClasses(['match', 'candidate_error', '1'])).rate; // 0.666…
 */
export function tallyClasses(classes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of classes) {
    const k = c === '1' ? 'match' : c === '0' ? 'mismatch' : c;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/**
 * THE way a rate (0..1) is shown, on every page, in the CLI and in notifications: a
 * percentage with one decimal, cut down to its tenth of a percent, never rounded up. So a
 * figure is never shown higher than it is: 1999 matches of 2000 are `99.9%`, never
 * `100.0%` beside a mismatch, and 95 of 96 (98.96%) are `98.9%`, never `99.0%` beside
 * "below the threshold of 99.0%". `none` (default `-`) when there is no rate (nothing
 * recorded: 0/0). Self-contained (no reference outside its body): the web report loads
 * this very function's source (`GET <report path>/assets/figures.js`).
 *
 * @example
 * formatRate(0.6333); // '63.3%'
 * formatRate(0.9995); // '99.9%'
 * formatRate(null); // '-'
 */
export function formatRate(rate: number | null | undefined, none = '-'): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return none;
  // tenths of a percent, cut down. The epsilon keeps m/n that is exactly on a tenth (0.57 * 1000 is
  // 569.999…) on it; an m/n below a tenth is at least 1/n below it (in tenths), so exact up to 1e9 results.
  const tenths = Math.floor(rate * 1000 + 1e-9);
  return `${(tenths / 10).toFixed(1)}%`;
}
