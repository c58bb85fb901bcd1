import type { TandemConfig } from '../config';
import type { ReplaySource } from '../replay';
import { Pacer } from '../replay';
import { DryRunner, type DryRunOutcome } from './dry-runner';
import { summariseDryRun, type DryRunSummary } from './dry-run-summary';

/**
 * Dry-run every request of a file (`concurrency` at a time) and summarise.
 *
 * @example
 * const summary = await runDryRun(config, await openReplayFile('traffic.ndjson'), { concurrency: 4 });
 */
export async function runDryRun(
  config: TandemConfig,
  source: ReplaySource,
  o: {
    concurrency: number;
    keepExchanges?: boolean;
    onProgress?(done: number, counts: { match: number; mismatch: number; other: number }): void;
  },
): Promise<DryRunSummary> {
  const runner = new DryRunner(config, { concurrency: o.concurrency });
  const pacer = new Pacer(0, o.concurrency);
  const outcomes: DryRunOutcome[] = [];
  const invalid: string[] = [];
  const counts = { match: 0, mismatch: 0, other: 0 };
  const record = (out: DryRunOutcome) => {
    outcomes.push(out);
    if (out.kind === 'compared') counts[out.result.class === 'match' || out.result.class === 'mismatch' ? out.result.class : 'other']++;
    o.onProgress?.(outcomes.length + invalid.length, counts);
  };
  try {
    for await (const item of source.items) {
      if (!item.request) {
        invalid.push(`entry ${item.entry}: ${item.error ?? 'unreadable'}`);
        o.onProgress?.(outcomes.length + invalid.length, counts);
        continue;
      }
      const request = item.request;
      const skip = runner.skip(request);
      if (skip) {
        record({ kind: 'skipped', reason: skip });
        continue;
      }
      const release = await pacer.acquire();
      void runner
        .run(request)
        .catch((e: Error): DryRunOutcome => ({ kind: 'failed', route: '(none)', reason: `error: ${e.message}` }))
        .then(record)
        .finally(release);
    }
    await pacer.drain();
  } finally {
    await runner.close();
  }
  return summariseDryRun(outcomes, { total: source.total, invalid, keepExchanges: o.keepExchanges });
}
