import { formatRate, matchRate } from '../store';
import type { ReplayOutcome } from './replay-session';

/** Running totals of a replay, per route and overall. */
export interface ReplaySummary {
  /** Entries in the file. */
  total: number;
  /** Entries handled so far (whatever became of them). */
  done: number;
  match: number;
  mismatch: number;
  /** Compared with another class (noise_only, candidate_error, translation_error, unparseable, too_large). */
  other: number;
  /** Not replayed, by reason: unmatched, write, legacy_phase. */
  skipped: Record<string, number>;
  /** Replayed but not compared, by reason: legacy_connect, legacy_timeout, …, no_result. */
  failed: Record<string, number>;
  /** Entries that could not be read, with the first few messages. */
  invalid: number;
  invalidMessages: string[];
  /** Per route: result classes and failures. */
  routes: Record<string, Record<string, number>>;
  elapsedMs: number;
  /** Set when Redis stopped answering during the run, which then stopped: see `RedisLostSummary`. */
  redisLost?: RedisLostSummary;
}

/** Redis stopped answering during a replay: which one (no password), why, and what it cost. */
export interface RedisLostSummary {
  /** `redis://127.0.0.1:6379` (see `describeRedisTarget`). */
  redis: string;
  /** The connection's last error, e.g. `connect ECONNREFUSED 127.0.0.1:6379`. */
  reason: string;
  /** Requests sent to legacy and not compared (`failed.redis_lost`), the first `LOST_LISTED` as `entry 7 (GET /p/7)`. */
  notCompared: string[];
  /** Entries of the file never sent (the run stopped). */
  notReplayed: number;
}

/** Requests named at most in `RedisLostSummary.notCompared`. */
export const LOST_LISTED = 20;

/**
 * The one line saying that Redis went away mid-replay and what was sent and not compared.
 *
 * @example
 * redisLostLine(s); // 'Redis at redis://127.0.0.1:6379 stopped answering during the replay (connect ECONNREFUSED ...): 4 requests sent were not compared: entry 5 (GET /p/4), ...; 30 entries not replayed'
 */
export function redisLostLine(s: ReplaySummary): string {
  const l = s.redisLost;
  if (!l) return '';
  const n = s.failed.redis_lost ?? 0;
  const more = n > l.notCompared.length ? ` and ${n - l.notCompared.length} more` : '';
  const which = n
    ? `${n} ${n === 1 ? 'request' : 'requests'} sent ${n === 1 ? 'was' : 'were'} not compared: ${l.notCompared.join(', ')}${more}`
    : 'no request was waiting for its result';
  return `Redis at ${l.redis} stopped answering during the replay (${l.reason}): ${which}; ${l.notReplayed} ${l.notReplayed === 1 ? 'entry' : 'entries'} not replayed`;
}

/**
 * An empty summary for a file of `total` entries.
 *
 * @example
 * const s = emptySummary(120);
 */
export function emptySummary(total: number): ReplaySummary {
  return {
    total,
    done: 0,
    match: 0,
    mismatch: 0,
    other: 0,
    skipped: {},
    failed: {},
    invalid: 0,
    invalidMessages: [],
    routes: {},
    elapsedMs: 0,
  };
}

/**
 * Add one outcome to the summary.
 *
 * @example
 * addOutcome(s, { kind: 'compared', route: 'product', class: 'match' });
 */
export function addOutcome(s: ReplaySummary, o: ReplayOutcome): void {
  s.done++;
  if (o.kind === 'skipped') return void (s.skipped[o.reason] = (s.skipped[o.reason] ?? 0) + 1);
  const r = (s.routes[o.route] ??= {});
  if (o.kind === 'failed') {
    s.failed[o.reason] = (s.failed[o.reason] ?? 0) + 1;
    r.failed = (r.failed ?? 0) + 1;
    return;
  }
  r[o.class] = (r[o.class] ?? 0) + 1;
  if (o.class === 'match') s.match++;
  else if (o.class === 'mismatch') s.mismatch++;
  else s.other++;
}

/**
 * Count an entry that could not be read (keeps the first 10 messages).
 *
 * @example
 * addInvalid(s, 'line 3: not valid JSON');
 */
export function addInvalid(s: ReplaySummary, message: string): void {
  s.done++;
  s.invalid++;
  if (s.invalidMessages.length < 10) s.invalidMessages.push(message);
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const list = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

/**
 * The summary as text: a table per route (with the route's match rate over this run, the
 * report's one definition: `noise_only` counts as a match, every error against it), then
 * skips, failures and unreadable entries.
 *
 * @example
 * process.stdout.write(formatSummary(s));
 */
export function formatSummary(s: ReplaySummary): string {
  const secs = s.elapsedMs / 1000;
  const sent = s.done - sum(s.skipped) - s.invalid;
  const lines = [`replayed ${sent} of ${s.total} entries in ${secs.toFixed(1)} s (${secs > 0 ? (sent / secs).toFixed(1) : sent}/s)`];
  const names = Object.keys(s.routes).sort();
  if (names.length) {
    lines.push(
      '',
      `${'route'.padEnd(20)} ${'compared'.padStart(8)} ${'match'.padStart(6)} ${'mismatch'.padStart(8)} ${'other'.padStart(6)} ${'failed'.padStart(6)}  match rate`,
    );
    for (const n of names) {
      const r = s.routes[n];
      const compared = sum(r) - (r.failed ?? 0);
      const other = compared - (r.match ?? 0) - (r.mismatch ?? 0);
      const rate = matchRate(r);
      lines.push(
        `${n.padEnd(20)} ${String(compared).padStart(8)} ${String(r.match ?? 0).padStart(6)} ${String(r.mismatch ?? 0).padStart(8)} ${String(other).padStart(6)} ${String(r.failed ?? 0).padStart(6)}  ${formatRate(rate)}`,
      );
    }
  }
  lines.push('', `match ${s.match}, mismatch ${s.mismatch}, other ${s.other}`);
  if (sum(s.skipped)) lines.push(`skipped: ${list(s.skipped)}`);
  if (sum(s.failed)) lines.push(`not compared: ${list(s.failed)}`);
  if (s.invalid) lines.push(`unreadable entries: ${s.invalid}`, ...s.invalidMessages.map((m) => `  ${m}`));
  if (s.redisLost) lines.push(`stopped: ${redisLostLine(s)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Why a `--fail-on-mismatch` gate fails, one line each; none when it passes. It passes only
 * when something was compared and everything compared matched (`match`, `noise_only`): a
 * mismatch, an error class (`candidate_error`, `translation_error`, `unparseable`,
 * `too_large`: the candidate was not shown to answer as legacy), a request that could not be
 * compared, an unreadable entry, or nothing compared at all fails it.
 *
 * @example
 * replayGateFailures(summary); // ['2 mismatched', '1 compared as an error (candidate_error 1)']
 */
export function replayGateFailures(s: ReplaySummary): string[] {
  const out: string[] = [];
  if (s.mismatch) out.push(`${s.mismatch} mismatched`);
  const errors: Record<string, number> = {};
  for (const r of Object.values(s.routes))
    for (const [k, n] of Object.entries(r))
      if (k !== 'match' && k !== 'mismatch' && k !== 'noise_only' && k !== 'failed') errors[k] = (errors[k] ?? 0) + n;
  if (sum(errors)) out.push(`${sum(errors)} compared as an error (${list(errors)})`);
  if (sum(s.failed)) out.push(`${sum(s.failed)} not compared (${list(s.failed)})`);
  if (s.invalid) out.push(`${s.invalid} unreadable ${s.invalid === 1 ? 'entry' : 'entries'}`);
  if (s.match + s.mismatch + s.other === 0) out.push('nothing was compared: no evidence for the gate');
  return out;
}
