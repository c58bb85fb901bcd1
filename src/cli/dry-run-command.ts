import { Option, type Command } from 'commander';
import { decimal, wholeNumber } from './number-options';
import type * as CliProgress from 'cli-progress';
import { stringify } from 'lossless-json';
import type { formatDryRun, dryRunGateFailures, runDryRun, DryRunSummary } from '../dryrun';
import { openReplayFile, type ReplayFormat } from '../replay';
import { loadConfigOrExit } from './load-or-exit';
import { writeOutputFile } from './write-output';

interface DryRunFlags {
  config: string;
  requests: string;
  format?: ReplayFormat;
  concurrency: number;
  json?: boolean;
  save?: string;
  minMatchRate?: number;
  maxCauses: number;
  progress: boolean;
}

/**
 * The dry run's code, loaded when the command runs: every other command (`tandem serve`'s
 * process above all) never holds it.
 */
function dryRun(): { runDryRun: typeof runDryRun; formatDryRun: typeof formatDryRun; dryRunGateFailures: typeof dryRunGateFailures } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../dryrun') as ReturnType<typeof dryRun>;
}

/**
 * `tandem dry-run --requests FILE`: both live backends, the route's translators and the
 * worker's comparison, without Redis. Exit codes: 0 done, 1 failed, 2 bad config or file,
 * 3 a route below `--min-match-rate`, a route with nothing compared, or nothing compared at all.
 *
 * @example
 * registerDryRunCommand(program); // tandem dry-run -c tandem.yaml --requests traffic.ndjson --min-match-rate 0.99
 */
export function registerDryRunCommand(program: Command): void {
  program
    .command('dry-run')
    .description(
      'send recorded requests to both live backends through the route translators and compare them, without Redis; print the match rate per route and the differences by cause',
    )
    .option('-c, --config <file>', 'config file (YAML or JSON): backends, routes, translators, compare rules', 'tandem.yaml')
    .requiredOption(
      '-r, --requests <file>',
      'requests to send: a HAR file or NDJSON, one request a line: {"method":"GET","url":"/p/1","headers":{},"body":…}',
    )
    .addOption(new Option('-f, --format <format>', 'file format (default: from the extension or the content)').choices(['har', 'ndjson']))
    .option('-n, --concurrency <n>', 'requests in flight at once', wholeNumber(1), 4)
    .option('--json', 'print the summary as JSON on stdout (with the compared exchanges, for tandem suggest --from-dry-run)')
    .option('--save <file>', 'also write that JSON to a file')
    .option(
      '--min-match-rate <rate>',
      "exit with code 3 when a route's match rate is below this (0..1, 0.99 for 99%), a route had nothing compared, or nothing was",
      decimal(0, 1),
    )
    .option('--max-causes <n>', 'causes printed per route', wholeNumber(1), 10)
    .option('--no-progress', 'no progress bar (it is only drawn on a terminal anyway)')
    .addHelpText(
      'after',
      `
Requests are matched to the configured routes like live traffic: unmatched
requests, routes in phase "legacy" and writes (unless the route has
mirrorWrites) are skipped; sampleRate does not apply. Each request carries
x-tandem-dry-run: 1 and a new x-request-id. Compare rules come from the config;
rules added in the report and learned noise live in Redis and do not apply.
Nothing is stored.

The match rate is the report's: (match + noise_only) / every compared result,
errors (candidate_error, translation_error, unparseable, too_large) counting
against it.

Examples:
  tandem dry-run -c tandem.yaml --requests traffic.ndjson
  tandem dry-run -c tandem.yaml --requests yesterday.har --min-match-rate 0.99 \\
    --json > dry-run.json
  tandem suggest --from-dry-run dry-run.json --route product`,
    )
    .action(async (o: DryRunFlags) => {
      const config = loadConfigOrExit(o.config);
      const source = await openReplayFile(o.requests, o.format).catch((e: Error) => {
        process.stderr.write(`tandem dry-run: ${e.message}\n`);
        process.exit(2);
      });
      const bar = o.progress && process.stderr.isTTY ? progressBar(source.total) : null;
      const keepExchanges = !!(o.json || o.save);
      const { runDryRun, formatDryRun } = dryRun();
      const summary = await runDryRun(config, source, { concurrency: o.concurrency, keepExchanges, onProgress: bar?.update }).finally(() =>
        bar?.stop(),
      );
      const json = keepExchanges ? `${stringify(summary, undefined, o.json ? 2 : undefined) ?? '{}'}\n` : '';
      process.stdout.write(o.json ? json : formatDryRun(summary, { maxCauses: o.maxCauses }));
      process.exitCode = gate(summary, o.minMatchRate);
      if (o.save) await writeOutputFile('tandem dry-run', '--save', o.save, json);
    });
}

function gate(summary: DryRunSummary, min: number | undefined): number {
  if (min === undefined) return 0;
  const failures = dryRun().dryRunGateFailures(summary, min);
  for (const line of failures) process.stderr.write(`${line}\n`);
  return failures.length ? 3 : 0;
}

function progressBar(total: number): { update(done: number, c: { match: number; mismatch: number; other: number }): void; stop(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require('cli-progress') as typeof CliProgress;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'dry-run |{bar}| {value}/{total} | match {match} | mismatch {mismatch} | other {other}',
    barsize: 24,
    hideCursor: true,
  });
  bar.start(total, 0, { match: 0, mismatch: 0, other: 0 });
  return { update: (done, c) => bar.update(done, c), stop: () => bar.stop() };
}
