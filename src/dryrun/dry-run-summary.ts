import type { ComparisonResult, ExchangeRecord } from '../records';
import { groupByCause, type CauseGroup } from '../compare';
import { matchRate } from '../store';
import type { DryRunOutcome } from './dry-runner';

/**
 * One route of a dry run: result classes, the match rate, and the differences of its
 * mismatches grouped by cause (most frequent first).
 *
 * @example
 * const r: DryRunRoute = { route: 'product', requests: 10, counts: { match: 8, mismatch: 2 }, matchRate: 0.8, causes: [] };
 */
export interface DryRunRoute {
  route: string;
  /** Requests sent to both backends. */
  requests: number;
  /** Result classes (`match`, `mismatch`, `noise_only`, `candidate_error`, …) and `failed` (legacy unreachable). */
  counts: Record<string, number>;
  matchRate: number | null;
  causes: CauseGroup[];
}

/**
 * A whole dry run. `exchanges` (the compared exchanges, redacted as they would be
 * stored) is what `tandem suggest --from-dry-run` reads.
 *
 * @example
 * const s: DryRunSummary = summariseDryRun(outcomes, { total: 3, invalid: [] });
 */
export interface DryRunSummary {
  total: number;
  routes: DryRunRoute[];
  skipped: Record<string, number>;
  failed: Record<string, number>;
  invalid: string[];
  exchanges?: ExchangeRecord[];
}

/**
 * Build the summary of a dry run from its outcomes.
 *
 * @example
 * summariseDryRun([{ kind: 'skipped', reason: 'unmatched' }], { total: 1, invalid: [] }).skipped; // { unmatched: 1 }
 */
export function summariseDryRun(
  outcomes: readonly DryRunOutcome[],
  o: { total: number; invalid: string[]; keepExchanges?: boolean },
): DryRunSummary {
  const routes = new Map<string, { counts: Record<string, number>; requests: number; diffs: ComparisonResult['differences'][] }>();
  const skipped: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const exchanges: ExchangeRecord[] = [];
  for (const out of outcomes) {
    if (out.kind === 'skipped') {
      skipped[out.reason] = (skipped[out.reason] ?? 0) + 1;
      continue;
    }
    const r = routes.get(out.route) ?? routes.set(out.route, { counts: {}, requests: 0, diffs: [] }).get(out.route)!;
    r.requests++;
    if (out.kind === 'failed') {
      failed[out.reason] = (failed[out.reason] ?? 0) + 1;
      r.counts.failed = (r.counts.failed ?? 0) + 1;
      continue;
    }
    r.counts[out.result.class] = (r.counts[out.result.class] ?? 0) + 1;
    if (out.result.class === 'mismatch') r.diffs.push(out.result.differences);
    if (o.keepExchanges) exchanges.push(out.exchange);
  }
  const summary: DryRunSummary = {
    total: o.total,
    routes: [...routes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, r]) => ({
        route,
        requests: r.requests,
        counts: r.counts,
        matchRate: matchRate(r.counts),
        causes: groupByCause(r.diffs),
      })),
    skipped,
    failed,
    invalid: o.invalid,
  };
  if (o.keepExchanges) summary.exchanges = exchanges;
  return summary;
}

/**
 * Routes under a match-rate threshold (the one match rate: errors count against it).
 * Routes with nothing compared (every request failed at legacy) are not judged.
 *
 * @example
 * routesBelow(summary, 0.95); // ['orders']
 */
export function routesBelow(s: DryRunSummary, threshold: number): string[] {
  return s.routes.filter((r) => r.matchRate !== null && r.matchRate < threshold).map((r) => r.route);
}

/**
 * Why a `--min-match-rate` gate fails, one line each; none when it passes. A gate passes only
 * on evidence: a route under `threshold` (the one match rate), a route none of whose requests
 * was compared (every one failed at legacy), an unreadable entry of the file, or a run that
 * compared nothing at all (an empty file, every request skipped) fails it.
 *
 * @example
 * dryRunGateFailures(summary, 0.99); // ['match rate below 0.99 on: orders', 'nothing compared on: search (12 failed)']
 */
export function dryRunGateFailures(s: DryRunSummary, threshold: number): string[] {
  const out: string[] = [];
  const below = routesBelow(s, threshold);
  if (below.length) out.push(`match rate below ${threshold} on: ${below.join(', ')}`);
  const none = s.routes.filter((r) => r.matchRate === null);
  if (none.length) out.push(`nothing compared on: ${none.map((r) => `${r.route} (${r.counts.failed ?? 0} failed)`).join(', ')}`);
  if (s.invalid.length) out.push(`${s.invalid.length} unreadable ${s.invalid.length === 1 ? 'entry' : 'entries'}`);
  if (!s.routes.some((r) => r.matchRate !== null)) out.push('nothing was compared: no evidence for the gate');
  return out;
}
