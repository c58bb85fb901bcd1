import { meetsThreshold, type Readiness, type RolloutState } from '../rollout';
import type { RouteRow } from './route-overview';

/**
 * How far a route is really exposed to the candidate: its phase in force (the rollout
 * state, not the config's starting phase), the percentage of customers moved by hash,
 * the customer and group overrides (and how many of them serve the candidate), and how
 * many requests the candidate served, fell back to legacy, or failed without fallback.
 *
 * @example
 * const e: Exposure = { phase: 'shadow', percentage: 10, customerOverrides: 2, groupOverrides: 1, overridesOnCandidate: 2,
 *   servedByCandidate: 940, fellBack: 3, candidateFailed: 0 };
 */
export interface Exposure {
  phase: string;
  /** 0-100: customers (by hash) served by the candidate while the phase is `shadow`. */
  percentage: number;
  customerOverrides: number;
  groupOverrides: number;
  /** Overrides (customers and groups) whose phase serves the candidate. */
  overridesOnCandidate: number;
  /** Requests answered with the candidate's translated response (`served:candidate`). */
  servedByCandidate: number;
  /** Requests the candidate could not serve that legacy answered instead (`fallback`). */
  fellBack: number;
  /** Requests the candidate failed with no fallback (`candidate_failed`). */
  candidateFailed: number;
}

/**
 * An overview row with what the reviewer needs to judge it: the exposure and the
 * readiness guard's own verdict (threshold, window, minimum from `rollout.*`).
 *
 * @example
 * const row: ExposedRouteRow = { ...routeRow, exposure, readiness };
 */
export interface ExposedRouteRow extends RouteRow {
  exposure: Exposure;
  readiness: Readiness | null;
  /** Whether `matchRate` reaches the readiness threshold (`meetsThreshold`): the page's rate colour; null without a rate or readiness. */
  matchRateMeetsThreshold: boolean | null;
}

const ON_CANDIDATE = new Set(['candidate', 'candidate-only']);

/**
 * Add exposure and readiness to overview rows; `phase` becomes the phase in force.
 * Routes the rollout does not know (no longer configured) keep their row's phase and
 * get no readiness.
 *
 * @example
 * const rows = await withExposure(page.routes, rollout.state(), (r) => rollout.service().readiness(r));
 */
export async function withExposure(
  rows: readonly RouteRow[],
  state: RolloutState,
  readiness: (route: string) => Promise<Readiness>,
): Promise<ExposedRouteRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const r = state.routes[row.name];
      const c = row.counters;
      const overrides = r ? [...Object.values(r.customers), ...Object.values(r.groups)] : [];
      const exposure: Exposure = {
        phase: r?.phase ?? row.phase,
        percentage: r?.percentage ?? 0,
        customerOverrides: r ? Object.keys(r.customers).length : 0,
        groupOverrides: r ? Object.keys(r.groups).length : 0,
        overridesOnCandidate: overrides.filter((p) => ON_CANDIDATE.has(p)).length,
        servedByCandidate: c['served:candidate'] ?? 0,
        fellBack: c.fallback ?? 0,
        candidateFailed: c.candidate_failed ?? 0,
      };
      const ready = r ? await readiness(row.name).catch(() => null) : null;
      const matchRateMeetsThreshold = ready ? meetsThreshold(row.matchRate, ready.threshold) : null;
      return { ...row, phase: exposure.phase, exposure, readiness: ready, matchRateMeetsThreshold };
    }),
  );
}
