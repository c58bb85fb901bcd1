import { Option, type Command } from 'commander';
import { decimal, wholeNumber } from './number-options';
import {
  formatSummary,
  redisLostLine,
  replayGateFailures,
  openReplayFile,
  replayProgressBar,
  runReplay,
  type ReplayFormat,
} from '../replay';
import { loadConfigOrExit } from './load-or-exit';
import { joinRedis, noRedisMessage } from '../runtime';
import type { TandemConfig } from '../config';
import { createLogger } from '../log';
import { closeOneShotRedis, ONE_SHOT_CHECK_MS, openOneShotRedis } from '../store';
import { REDIS_OF_CONFIG } from './main-help';

/**
 * `tandem replay FILE`: send recorded traffic (HAR or NDJSON) through translation and
 * comparison, with a progress bar; results land in the report. Exit codes: 0 done,
 * 1 failed (Redis not answering at start, or gone mid-run: the run stops within seconds and
 * names the requests sent and not compared), 2 bad usage, config or file, or no Redis, 3 with `--fail-on-mismatch` unless something was compared and
 * all of it matched (see `replayGateFailures`).
 *
 * @example
 * registerReplayCommand(program); // tandem replay yesterday.har --rate 50 --concurrency 8
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recorded requests (HAR or NDJSON) to legacy and, translated, to the candidate; compare and store the results in the report',
    )
    .argument(
      '<file>',
      'a HAR file (browser or proxy export) or NDJSON, one request a line: {"method":"GET","url":"/p/1","headers":{},"body":…}',
    )
    .option(
      '-c, --config <file>',
      `config file (YAML or JSON); its Redis, which must be the one the report reads: ${REDIS_OF_CONFIG}`,
      'tandem.yaml',
    )
    .option('-r, --rate <n>', 'requests started per second (0: as fast as --concurrency allows)', decimal(0), 20)
    .option('-n, --concurrency <n>', 'requests in flight at once', wholeNumber(1), 4)
    .addOption(new Option('-f, --format <format>', 'file format (default: from the extension or the content)').choices(['har', 'ndjson']))
    .option('--no-progress', 'no progress bar (the summary is still printed)')
    .option(
      '--fail-on-mismatch',
      'exit with code 3 unless all it compared matched (for CI): a mismatch, an error class, a request not compared, an unreadable entry or nothing compared fails',
    )
    .addHelpText(
      'after',
      `
Requests are matched to the configured routes like live traffic: unmatched
requests, routes in phase "legacy" and writes (unless the route has
mirrorWrites) are skipped. Each replayed request gets a new x-request-id and the
header x-tandem-replay: 1. Stored exchanges carry source "replay"; route
counters count them as "replayed". A Redis that stops answering mid-run stops
the run within a few seconds: one line names that Redis and the requests sent
and not compared, and the exit code is 1.

Examples:
  tandem replay yesterday.har -c tandem.yaml
  REDIS_URL=redis://redis:6379 tandem replay requests.ndjson \\
    --rate 100 --concurrency 16 --fail-on-mismatch`,
    )
    .action(
      async (
        file: string,
        o: { config: string; rate: number; concurrency: number; format?: ReplayFormat; progress: boolean; failOnMismatch?: boolean },
      ) => {
        const loaded = loadConfigOrExit(o.config);
        // Results go to the Redis the report reads: the configured one, else the embedded one of a running `tandem serve`.
        const target = await joinRedis(loaded.redis);
        if (!target) {
          process.stderr.write(noRedisMessage('tandem replay', o.config, loaded.redis.dataDir));
          process.exit(2);
        }
        const config: TandemConfig = typeof target === 'string' ? { ...loaded, redis: { ...loaded.redis, url: target } } : loaded;
        // Logs go to stderr (warn and above unless TANDEM_LOG_LEVEL says otherwise); stdout keeps the summary.
        const log = createLogger('warn', 'tandem-replay', { pretty: false, destination: process.stderr });
        const source = await openReplayFile(file, o.format).catch((e: Error) => {
          process.stderr.write(`tandem replay: ${e.message}\n`);
          return process.exit(2);
        });
        // A Redis that does not answer would hold every request's slot until its result times out
        // (120 s each): say so now instead (the CLI's one line naming that Redis, exit 1), a silent
        // one included (answered no PING within 5 s). Once running, the run's own watch notices a loss.
        await closeOneShotRedis(await openOneShotRedis(target!, ONE_SHOT_CHECK_MS));
        const bar = o.progress ? replayProgressBar(source.total) : null;
        const summary = await runReplay(config, source, { rate: o.rate, concurrency: o.concurrency, log, onProgress: bar?.update }).finally(
          () => bar?.stop(),
        );
        process.stdout.write(formatSummary(summary));
        process.stdout.write(`results are in the report under ${config.report.path}/ (source "replay")\n`);
        if (summary.redisLost) {
          // A run-time failure whatever the gate says: what was not compared is not evidence either way.
          process.stderr.write(`tandem replay: ${redisLostLine(summary)}\n`);
          process.exitCode = 1;
          return;
        }
        const failures = o.failOnMismatch ? replayGateFailures(summary) : [];
        for (const line of failures) process.stderr.write(`tandem replay: ${line}\n`);
        process.exitCode = failures.length ? 3 : 0;
      },
    );
}
