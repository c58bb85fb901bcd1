import { formatRate, matchFigures, tallyClasses } from '../store';
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
  const ready = compared > 0 && compared >= s.minCompared && meetsThreshold(f.rate, s.threshold) === true;
  return { compared, matches: f.matches, matchRate: f.rate, threshold: s.threshold, window: s.window, minCompared: s.minCompared, ready };
}

/**
 * Whether a match rate (0-1) reaches the readiness threshold (`rollout.threshold`): the one
 * rule of the guard, of "match rate short" and of the pages' rate colours (the API sends
 * them `matchRateMeetsThreshold`). null when there is no rate.
 *
 * @example
 * meetsThreshold(0.99, 0.999); // false
 */
export function meetsThreshold(rate: number | null, threshold: number): boolean | null {
  return rate === null ? null : rate >= threshold;
}

/**
 * Why a move was refused, in the words of `tandem rollout readiness` and the API's
 * `summary` (`readinessFigures`, then `readinessShortfalls`): one wording of readiness.
 *
 * @example
 * refusalMessage('route "product"', 'candidate', readinessOf(['0'], { threshold: 0.99, window: 200, minCompared: 1 }));
 * // 'route "product" is not ready for candidate: 0/1 matched (0.0%) over the last 1 compared (window 200), threshold 99.0%; match rate short: 0.0%, below 99.0%; send "force": true to override'
 */
export function refusalMessage(subject: string, phase: string, r: Readiness): string {
  const why = r.notCompared ? readinessShortfalls(r) : [readinessFigures(r), ...readinessShortfalls(r)];
  return `${subject} is not ready for ${phase}: ${why.join('; ')}; send "force": true to override`;
}

/** A rate in words: the one `formatRate` of every page, the CLI and the notifications. */
const pct = (x: number) => formatRate(x);

/** Why a customer has no figures of its own (`Readiness.countedAs`), in the words every surface uses. */
function countedAsPhrase(bucket: string): string {
  return `no results of its own: counted under ${bucket}, as the route has more customers than retention.customersPerRoute`;
}

/**
 * What keeps a route (or customer) from being ready, one phrase each, with its figures:
 * volume (fewer than `minCompared` compared in the window) and match rate (below the
 * threshold), both when both are short. Empty when ready. The one wording of the CLI, the
 * overview and the Rollout page.
 *
 * @example
 * readinessShortfalls(readinessOf(['mismatch', 'mismatch'], { threshold: 0.99, window: 200, minCompared: 20 }));
 * // ['volume short: 2 of the 20 compared requests needed', 'match rate short: 0.0%, below 99.0%']
 */
export function readinessShortfalls(r: Readiness): string[] {
  if (r.notCompared) return [`never compared: ${r.notCompared}`];
  const short: string[] = r.countedAs ? [countedAsPhrase(r.countedAs)] : [];
  if (r.compared === 0 || r.compared < r.minCompared)
    short.push(`volume short: ${r.compared} of the ${Math.max(1, r.minCompared)} compared requests needed`);
  if (r.matchRate !== null && meetsThreshold(r.matchRate, r.threshold) === false)
    short.push(`match rate short: ${pct(r.matchRate)}, below ${pct(r.threshold)}`);
  return short;
}

/**
 * The readiness figures in words: matches of the results actually compared in the window
 * (never "over the last <window>" when fewer were compared) and the threshold.
 *
 * @example
 * readinessFigures(r); // '18/34 matched (52.9%) over the last 34 compared (window 200), threshold 99.0%'
 */
export function readinessFigures(r: Readiness): string {
  const figures =
    r.compared === 0
      ? `nothing compared in the window (${r.window}) yet`
      : `${r.matches}/${r.compared} matched (${pct(r.matchRate ?? 0)}) over the last ${r.compared} compared (window ${r.window})`;
  return `${figures}, threshold ${pct(r.threshold)}`;
}

/**
 * The verdict, the figures and what is short, in one sentence.
 *
 * @example
 * readinessSummary(r); // 'not ready: 18/34 matched (52.9%) over the last 34 compared (window 200), threshold 99.0%; match rate short: 52.9%, below 99.0%'
 */
export function readinessSummary(r: Readiness): string {
  if (r.notCompared) return `not ready: ${readinessShortfalls(r)[0]}`;
  const short = readinessShortfalls(r);
  return `${r.ready ? 'ready' : 'not ready'}: ${readinessFigures(r)}${short.length ? `; ${short.join('; ')}` : ''}`;
}

/**
 * A readiness as the API answers it: the figures plus `summary`, `figures` and
 * `shortfalls` in words (`readinessSummary`, `readinessFigures`, `readinessShortfalls`),
 * so the pages show the server's words and never work out a figure of their own.
 *
 * @example
 * res.json(describedReadiness(await svc.readiness('product')));
 */
export function describedReadiness(r: Readiness): Readiness {
  return { ...r, summary: readinessSummary(r), figures: readinessFigures(r), shortfalls: readinessShortfalls(r) };
}
