/**
 * Plain records of the rollout: which backend serves which customer on which route.
 * No express, no Redis here.
 */

/**
 * A route's migration phase (the four steps):
 * - `legacy`: legacy serves, no shadowing;
 * - `shadow`: legacy serves, the candidate is compared (writes only with `mirrorWrites`: step 1);
 * - `candidate`: the candidate's translated response is served, legacy is the fallback and is still compared (step 2);
 * - `candidate-only`: the candidate serves, legacy is not called (steps 3 and 4).
 *
 * @example
 * const p: Phase = 'candidate';
 */
export type Phase = 'legacy' | 'shadow' | 'candidate' | 'candidate-only';

/**
 * Every phase, in migration order.
 *
 * @example
 * PHASES.indexOf('candidate'); // 2
 */
export const PHASES: readonly Phase[] = ['legacy', 'shadow', 'candidate', 'candidate-only'];

/**
 * True for the phases where the candidate serves clients.
 *
 * @example
 * servesCandidate('candidate-only'); // true
 */
export function servesCandidate(p: Phase): boolean {
  return p === 'candidate' || p === 'candidate-only';
}

/**
 * The rollout of one route.
 *
 * @example
 * const r: RouteRollout = { phase: 'shadow', percentage: 10, sampleRate: 1, customers: { acme: 'candidate' }, groups: {} };
 */
export interface RouteRollout {
  /** Phase for everyone without an override (anonymous requests included). */
  phase: Phase;
  /** 0–100: customers whose hash bucket (0–99) is below it get `candidate`. */
  percentage: number;
  /** Share of shadowed requests compared, 0–1. */
  sampleRate: number;
  /** Per-customer phase overrides. */
  customers: Record<string, Phase>;
  /** Per-group phase overrides. */
  groups: Record<string, Phase>;
}

/**
 * The whole rollout: every configured route and the customer groups.
 *
 * @example
 * const s: RolloutState = { version: 3, routes: { product: route }, groups: { beta: ['acme'] } };
 */
export interface RolloutState {
  /** Incremented by every change; instances reload when it moves. */
  version: number;
  routes: Record<string, RouteRollout>;
  groups: Record<string, string[]>;
}

/**
 * Why a request got its phase.
 *
 * @example
 * const why: DecisionSource = 'percentage';
 */
export type DecisionSource = 'customer' | 'group' | 'percentage' | 'route';

/**
 * The phase decided for one request.
 *
 * @example
 * const d: PhaseDecision = { phase: 'candidate', source: 'customer', sampleRate: 1 };
 */
export interface PhaseDecision {
  phase: Phase;
  source: DecisionSource;
  sampleRate: number;
}

/**
 * One recorded rollout change.
 *
 * @example
 * const e: AuditEntry = { at: 1700000000000, actor: 'cli:ada', action: 'route.phase', target: 'product', previous: 'shadow', next: 'candidate' };
 */
export interface AuditEntry {
  /** Epoch milliseconds. */
  at: number;
  /** `x-tandem-actor` header, `api`, or `cli:<user>`. */
  actor: string;
  /** `route.phase`, `route.percentage`, `route.sampleRate`, `customer.phase`, `group.members`, `group.phase`. */
  action: string;
  /** `product`, `product/customers/acme`, `groups/beta`, `product/groups/beta`. */
  target: string;
  /** The value before (the configured default when nothing was stored); null when there was none. */
  previous: unknown;
  /** The value after; null when it was removed. */
  next: unknown;
  /** Set when the readiness guard was overridden. */
  forced?: boolean;
  /** The rollout version this change produced. */
  version?: number;
}

/**
 * Match figures over the last N compared requests, and whether they pass the guard.
 *
 * @example
 * const r: Readiness = { compared: 200, matches: 199, matchRate: 0.995, threshold: 0.99, window: 200, minCompared: 20, ready: true };
 */
export interface Readiness {
  compared: number;
  matches: number;
  /** null before anything was compared. */
  matchRate: number | null;
  threshold: number;
  window: number;
  minCompared: number;
  ready: boolean;
  /** Set when the route can never be compared, saying why (`writes are not mirrored on this route (mirrorWrites is off)`). */
  notCompared?: string;
  /**
   * Set for a customer with no window of its own because the route is past
   * `retention.customersPerRoute`: its results count under this customer (`(other)`).
   */
  countedAs?: string;
  /** In API answers (`describedReadiness`): the verdict, figures and shortfalls in one sentence. */
  summary?: string;
  /** In API answers: `18/34 matched (52.9%) over the last 34 compared (window 200), threshold 99.0%`. */
  figures?: string;
  /** In API answers: what is short (`volume short: 2 of the 20 compared requests needed`, `match rate short: …`); empty when ready. */
  shortfalls?: string[];
}
