import type * as CliProgress from 'cli-progress';
import { emptySummary, type ReplaySummary } from './replay-summary';

/**
 * A progress bar on stderr with running counts of matches, mismatches, other
 * results, skipped requests, unreadable entries and failed requests (the summary's figures). Without a terminal it prints a line every few
 * seconds instead.
 *
 * @example
 * const bar = replayProgressBar(summary.total);
 * runReplay(config, source, { ..., onProgress: bar.update });
 * bar.stop();
 */
export function replayProgressBar(
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): { update(s: ReplaySummary): void; stop(): void } {
  // Loaded by the replay command only: a server that imports the replay code for the report never holds it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require('cli-progress') as typeof CliProgress;
  const bar = new SingleBar({
    stream,
    format:
      'replay |{bar}| {value}/{total} | match {match} | mismatch {mismatch} | other {other} | skipped {skipped} | unreadable {unreadable} | failed {failed} | {rate}/s',
    barsize: 24,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const payload = (s: ReplaySummary) => ({
    match: s.match,
    mismatch: s.mismatch,
    other: s.other,
    // As the summary counts them: skipped requests (by reason there) apart from unreadable entries.
    skipped: sum(s.skipped),
    unreadable: s.invalid,
    failed: sum(s.failed),
    rate: s.elapsedMs > 0 ? (s.done / (s.elapsedMs / 1000)).toFixed(1) : '0',
  });
  bar.start(total, 0, payload(emptySummary(total)));
  return {
    update: (s) => bar.update(s.done, payload(s)),
    stop: () => bar.stop(),
  };
}
