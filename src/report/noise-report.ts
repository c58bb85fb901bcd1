import type { RuntimeRules } from '../rules';
import type { ResultsReader } from '../store';

/**
 * A path where legacy differed from itself on repeated requests: a suggested ignore
 * rule, with its evidence. `learned` is true when it is subtracted as noise now
 * (over the thresholds and not marked "not noise").
 *
 * @example
 * const s: NoiseSuggestion = { path: 'ts', differedInRepeats: 48, repeats: 50, rate: 0.96, learned: true, notNoise: false };
 */
export interface NoiseSuggestion {
  path: string;
  differedInRepeats: number;
  repeats: number;
  rate: number;
  learned: boolean;
  notNoise: boolean;
}

/**
 * A path whose differing values looked volatile (timestamps, UUIDs, request ids) and
 * still counted: flagged, not hidden. `rate` is per comparable exchange (match,
 * mismatch or noise_only).
 *
 * @example
 * const f: SuspectedField = { path: 'generatedAt', count: 120, rate: 0.98 };
 */
export interface SuspectedField {
  path: string;
  count: number;
  rate: number;
}

/**
 * The noise report of a route.
 *
 * @example
 * const r: NoiseReport = { repeats: 50, learnRate: 0.5, learnSamples: 5, suggestions: [], suspected: [] };
 */
export interface NoiseReport {
  repeats: number;
  learnRate: number;
  learnSamples: number;
  suggestions: NoiseSuggestion[];
  suspected: SuspectedField[];
}

/**
 * A route's noise report: the paths legacy differed on against itself (suggested ignore
 * rules, with evidence and whether they are learned noise), and the suspected volatile
 * fields. Both sorted by rate, highest first.
 *
 * @example
 * const { suggestions, suspected } = await noiseReport(store, rules, 'product');
 * suggestions[0]; // { path: 'requestId', differedInRepeats: 50, repeats: 50, rate: 1, learned: true, notNoise: false }
 */
export async function noiseReport(store: ResultsReader, rules: RuntimeRules, route: string): Promise<NoiseReport> {
  const [state, suspectedRaw, counters] = await Promise.all([
    rules.fresh(route),
    store.suspected(route),
    store.counters([route]).then((c) => ['match', 'mismatch', 'noise_only'].map((k) => c[route]?.[k])),
  ]);
  const { repeats, differed } = state.evidence;
  const notNoise = new Set(state.lists.notNoise);
  const learned = new Set(state.lists.learned);
  const suggestions = Object.entries(differed).map(([path, n]) => ({
    path,
    differedInRepeats: n,
    repeats,
    rate: repeats ? n / repeats : 0,
    learned: learned.has(path),
    notNoise: notNoise.has(path),
  }));
  const comparable = counters.reduce((sum, v) => sum + Number(v ?? 0), 0);
  const suspected = Object.entries(suspectedRaw).map(([path, n]) => ({
    path,
    count: Number(n),
    rate: comparable ? Number(n) / comparable : 0,
  }));
  const byRate = (a: { rate: number; path: string }, b: { rate: number; path: string }) => b.rate - a.rate || a.path.localeCompare(b.path);
  return {
    repeats,
    learnRate: rules.learning.learnRate,
    learnSamples: rules.learning.learnSamples,
    suggestions: suggestions.sort(byRate),
    suspected: suspected.sort(byRate),
  };
}
