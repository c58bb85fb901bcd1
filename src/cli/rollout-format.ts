import { readinessFigures, readinessShortfalls, type AuditEntry, type Readiness, type RolloutState } from '../rollout';

/**
 * The rollout state as a text table: one line per route, then its overrides, then the groups.
 *
 * @example
 * process.stdout.write(formatRolloutStatus(state));
 */
export function formatRolloutStatus(s: RolloutState): string {
  const rows = Object.entries(s.routes).map(([name, r]) => [
    name,
    r.phase,
    `${r.percentage}%`,
    String(r.sampleRate),
    String(Object.keys(r.customers).length),
    String(Object.keys(r.groups).length),
  ]);
  const lines = [table(['route', 'phase', 'percent', 'sample', 'customers', 'groups'], rows)];
  for (const [name, r] of Object.entries(s.routes)) {
    for (const [c, p] of Object.entries(r.customers)) lines.push(`  ${name}: customer ${c} -> ${p}`);
    for (const [g, p] of Object.entries(r.groups)) lines.push(`  ${name}: group ${g} -> ${p}`);
  }
  const groups = Object.entries(s.groups);
  lines.push(groups.length ? `groups:\n${groups.map(([g, m]) => `  ${g}: ${m.join(', ') || '(empty)'}`).join('\n')}` : 'groups: none');
  lines.push(`version ${s.version}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Audit entries, newest first, one per line.
 *
 * @example
 * formatAudit(entries); // '2024-05-01T10:00:00.000Z  cli:ada  route.phase  product  "shadow" -> "candidate"\n'
 */
export function formatAudit(entries: readonly AuditEntry[]): string {
  if (!entries.length) return 'no rollout changes recorded\n';
  const v = (x: unknown) => (x === null || x === undefined ? '(none)' : JSON.stringify(x));
  return entries
    .map(
      (e) =>
        `${new Date(e.at).toISOString()}  ${e.actor}  ${e.action}  ${e.target}  ${v(e.previous)} -> ${v(e.next)}${e.forced ? '  (forced)' : ''}\n`,
    )
    .join('');
}

/**
 * A readiness as the API's `summary` says it (the one wording: `readinessSummary`), the verdict
 * and figures on the first line, each shortfall on a line of its own.
 *
 * @example
 * formatReadiness(r); // 'not ready: 18/34 matched (52.9%) over the last 34 compared (window 200), threshold 99.0%\n  match rate short: 52.9%, below 99.0%\n'
 */
export function formatReadiness(r: Readiness): string {
  if (r.notCompared) return `not ready: ${readinessShortfalls(r)[0]}\n`;
  const line = `${r.ready ? 'ready' : 'not ready'}: ${readinessFigures(r)}`;
  return `${line}\n${readinessShortfalls(r)
    .map((s) => `  ${s}\n`)
    .join('')}`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
