import { replayGateFailures as gateFailures } from '../../src/replay';
import { addInvalid, addOutcome, emptySummary } from '../../src/replay/replay-summary';
import { dryRunGateFailures as dryRunGate } from '../../src/dryrun';
import type { DryRunSummary } from '../../src/dryrun/dry-run-summary';

/**
 * `--fail-on-mismatch` and `--min-match-rate` are CI gates: they pass only on evidence that the
 * candidate answered as legacy. Before, a replay whose every request failed, or that compared
 * nothing, or whose candidate answered 500 to everything (candidate_error, not a mismatch)
 * exited 0; so did a dry run that compared nothing.
 */
describe('replay --fail-on-mismatch gate', () => {
  const summary = (...outcomes: Parameters<typeof addOutcome>[1][]) => {
    const s = emptySummary(outcomes.length);
    for (const o of outcomes) addOutcome(s, o);
    return s;
  };

  it('passes when something was compared and all of it matched (noise_only is a match)', () => {
    expect(
      gateFailures(summary({ kind: 'compared', route: 'p', class: 'match' }, { kind: 'compared', route: 'p', class: 'noise_only' })),
    ).toEqual([]);
  });

  it('fails on a mismatch, an error class, a request not compared, an unreadable entry', () => {
    const s = summary(
      { kind: 'compared', route: 'p', class: 'match' },
      { kind: 'compared', route: 'p', class: 'mismatch' },
      { kind: 'compared', route: 'p', class: 'candidate_error' },
      { kind: 'compared', route: 'q', class: 'candidate_error' },
      { kind: 'failed', route: 'p', reason: 'legacy_timeout' },
    );
    addInvalid(s, 'entry 6: not valid JSON');
    expect(gateFailures(s)).toEqual([
      '1 mismatched',
      '2 compared as an error (2 candidate_error)',
      '1 not compared (1 legacy_timeout)',
      '1 unreadable entry',
    ]);
  });

  it('fails when nothing was compared: every request failed, skipped, or an empty file', () => {
    expect(gateFailures(summary({ kind: 'failed', route: 'p', reason: 'legacy_connect' }))).toContain(
      'nothing was compared: no evidence for the gate',
    );
    expect(gateFailures(summary({ kind: 'skipped', reason: 'unmatched' }))).toEqual(['nothing was compared: no evidence for the gate']);
    expect(gateFailures(emptySummary(0))).toEqual(['nothing was compared: no evidence for the gate']);
  });
});

describe('dry-run --min-match-rate gate', () => {
  const route = (name: string, counts: Record<string, number>, matchRate: number | null) => ({
    route: name,
    requests: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    matchRate,
    causes: [],
  });
  const summary = (...routes: ReturnType<typeof route>[]): DryRunSummary => ({ total: 10, routes, skipped: {}, failed: {}, invalid: [] });

  it('passes when every route compared something at or above the threshold', () => {
    expect(dryRunGate(summary(route('p', { match: 9, mismatch: 1 }, 0.9)), 0.9)).toEqual([]);
  });

  it('fails below the threshold, on a route with nothing compared, on an unreadable entry, and with no route at all', () => {
    expect(dryRunGate(summary(route('p', { match: 8, mismatch: 2 }, 0.8), route('q', { failed: 3 }, null)), 0.9)).toEqual([
      'match rate below 0.9 on: p',
      'nothing compared on: q (3 failed)',
    ]);
    expect(dryRunGate(summary(route('q', { failed: 3 }, null)), 0.5)).toEqual([
      'nothing compared on: q (3 failed)',
      'nothing was compared: no evidence for the gate',
    ]);
    expect(dryRunGate(summary(), 0.5)).toEqual(['nothing was compared: no evidence for the gate']);
    expect(dryRunGate({ ...summary(route('p', { match: 1 }, 1)), invalid: ['entry 2: not valid JSON'] }, 0.5)).toEqual([
      '1 unreadable entry',
    ]);
  });
});
