/** Which candidate a scenario shadows to. */
export type CandidateKind = 'fast' | 'slow' | 'down';

/** One proxy set-up measured under the same load. */
export interface Scenario {
  /** Short id used in tables and JSON: '1'..'7', '4i', '4w', '7s'. */
  id: string;
  title: string;
  kind: 'direct' | 'reference' | 'tandem' | 'nginx';
  candidate?: CandidateKind;
  /** Tandem: whether the requested route is shadowed. */
  shadow?: boolean;
  /**
   * Tandem: comparisons in a separate `tandem worker` process at nice 19 (`separate`: it
   * uses what the proxy leaves idle, a backlog waits in Redis), in one at the proxy's own
   * priority whose CPU counts with the proxy's (`shared`), or inside `tandem serve` (its default).
   */
  worker?: 'separate' | 'shared' | 'in-process';
  /**
   * Measure throughput with every exchange compared: after the saturation run, wait until
   * the backlog is compared, and report requests ÷ (load + drain) seconds; no drops allowed.
   */
  compareAll?: boolean;
  /** Tandem: `candidate.maxInFlight` when not the default (to measure a default against an older one in one run). */
  maxInFlight?: number;
  /** Not one of the scenarios; measured for context. */
  extra?: boolean;
}

/**
 * The scenarios, in the order they run. (2) is the reference every ratio divides by.
 *
 * @example
 * SCENARIOS.find((s) => s.id === '4')!.title; // 'Tandem, 100% shadowed, candidate fast'
 */
export const SCENARIOS: readonly Scenario[] = [
  { id: '1', title: 'direct to legacy', kind: 'direct' },
  { id: '2', title: 'express + http-proxy-middleware (reference)', kind: 'reference' },
  { id: '3', title: 'Tandem, no route shadowed', kind: 'tandem', shadow: false, candidate: 'fast', worker: 'separate' },
  { id: '4', title: 'Tandem, 100% shadowed, candidate fast', kind: 'tandem', shadow: true, candidate: 'fast', worker: 'separate' },
  {
    id: '4i',
    title: 'Tandem, 100% shadowed, candidate fast, in-process worker',
    kind: 'tandem',
    shadow: true,
    candidate: 'fast',
    worker: 'in-process',
    extra: true,
  },
  {
    id: '4w',
    title: 'Tandem, 100% shadowed, candidate fast, one tandem worker on the same core, every exchange compared',
    kind: 'tandem',
    shadow: true,
    candidate: 'fast',
    worker: 'shared',
    compareAll: true,
  },
  { id: '5', title: 'Tandem, 100% shadowed, candidate +50 ms', kind: 'tandem', shadow: true, candidate: 'slow', worker: 'separate' },
  {
    id: '5-64',
    title: 'Tandem, 100% shadowed, candidate +50 ms, candidate.maxInFlight 64 (the default before 512)',
    kind: 'tandem',
    shadow: true,
    candidate: 'slow',
    worker: 'separate',
    maxInFlight: 64,
    extra: true,
  },
  { id: '6', title: 'Tandem, 100% shadowed, candidate down', kind: 'tandem', shadow: true, candidate: 'down', worker: 'separate' },
  { id: '7', title: 'nginx mirror, candidate fast', kind: 'nginx', candidate: 'fast' },
  { id: '7s', title: 'nginx mirror, candidate +50 ms', kind: 'nginx', candidate: 'slow', extra: true },
];

/** The scenario every ratio is relative to. */
export const REFERENCE_ID = '2';

/**
 * The scenarios to run for a comma-separated selection (`'2,4,6'`); all when empty.
 * The reference is always included, since ratios need it.
 *
 * @example
 * selectScenarios('4').map((s) => s.id); // ['2', '4']
 */
export function selectScenarios(list: string | undefined): Scenario[] {
  if (!list) return [...SCENARIOS];
  const wanted = new Set(
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const unknown = [...wanted].filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  wanted.add(REFERENCE_ID);
  return SCENARIOS.filter((s) => wanted.has(s.id));
}
