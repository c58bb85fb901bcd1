import { formatRate, matchFigures } from '../store';
import type { DryRunSummary } from './dry-run-summary';

/**
 * The dry run as text: per route the counts and match rate, then its mismatches'
 * differences grouped by cause with one example each (at most `maxCauses` per route).
 *
 * @example
 * process.stdout.write(formatDryRun(summary, { maxCauses: 10 }));
 */
export function formatDryRun(s: DryRunSummary, o: { maxCauses: number }): string {
  const lines: string[] = [];
  lines.push('route                 requests  match  mismatch  noise  errors  failed  match rate');
  for (const r of s.routes) {
    const c = r.counts;
    const { errors } = matchFigures(c);
    const rate = formatRate(r.matchRate);
    lines.push(
      `${r.route.padEnd(20)} ${pad(r.requests, 9)} ${pad(c.match, 6)} ${pad(c.mismatch, 9)} ${pad(c.noise_only, 6)} ${pad(errors, 7)} ${pad(c.failed, 7)}  ${rate}`,
    );
  }
  for (const r of s.routes) {
    if (!r.causes.length) continue;
    lines.push('', `${r.route}: differences by cause`);
    for (const g of r.causes.slice(0, o.maxCauses)) {
      const ex = g.examples[0];
      const sample = ex ? `  e.g. ${ex.path}: ${show(ex.legacy)} -> ${show(ex.candidate)}` : '';
      lines.push(`  ${pad(g.differences, 5)} in ${pad(g.comparisons, 4)} exchanges  ${g.cause.label}${sample}`);
    }
    if (r.causes.length > o.maxCauses) lines.push(`  … ${r.causes.length - o.maxCauses} more causes (--max-causes, or --json)`);
  }
  const other = [
    ...Object.entries(s.skipped).map(([k, n]) => `skipped ${k}: ${n}`),
    ...Object.entries(s.failed).map(([k, n]) => `failed ${k}: ${n}`),
  ];
  if (s.invalid.length) other.push(`unreadable entries: ${s.invalid.length} (${s.invalid.slice(0, 3).join('; ')})`);
  if (other.length) lines.push('', other.join(', '));
  return `${lines.join('\n')}\n`;
}

const pad = (n: number | undefined, w: number) => String(n ?? 0).padStart(w);

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text =
    typeof v === 'object' && v !== null && 'value' in v && Object.keys(v).length <= 2
      ? String((v as { value: unknown }).value)
      : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
