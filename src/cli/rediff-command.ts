import type { Command } from 'commander';
import type { TandemConfig } from '../config';
import { closeOneShotRedis, ONE_SHOT_COMMAND_MS, oneShotLost, openOneShotRedis, RedisStoppedAnswering, type RedisTarget } from '../store';
import { createRulesFor, createStoreFor, createTranslatorsFor, joinRedis, noRedisMessage } from '../runtime';
import { rediffRoute, type RediffProgress, type RediffResult } from '../worker';
import { loadConfigOrExit } from './load-or-exit';
import { NO_REDIS, REDIS_OF_CONFIG, wrapHelp } from './main-help';

/**
 * Recompute one route's results from its stored exchanges against the Redis at
 * `target` (a URL or a cluster), with the config's rules and the runtime rules stored in Redis.
 *
 * @example
 * const out = await runRediff(config, 'redis://127.0.0.1:6379', 'product'); // { recomputed: 1000, byClass: { ... } }
 */
export async function runRediff(config: TandemConfig, target: RedisTarget, route: string): Promise<RediffResult> {
  // Fails with `RedisNotAnswering` (5 s), `RedisStoppedAnswering` (its Redis silent for ONE_SHOT_LOST_MS
  // mid-run) or a command's timeout, never waits for ever (see ONE_SHOT_COMMAND_MS).
  const redis = await openOneShotRedis(target, ONE_SHOT_COMMAND_MS.records);
  const progress: RediffProgress = { stage: 'lock', total: 0, recomputed: 0, lockSeconds: 0 };
  try {
    return await rediffRoute(
      {
        config,
        store: createStoreFor(config, redis),
        rules: createRulesFor(config, redis),
        translators: createTranslatorsFor(config),
        progress,
      },
      route,
    );
  } catch (e) {
    const lost = oneShotLost(redis);
    throw lost ? new RedisStoppedAnswering(lost, rediffNotDone(route, progress)) : e;
  } finally {
    await closeOneShotRedis(redis);
  }
}

/** What a rediff stopped at `progress` left undone, for the user to act on. */
function rediffNotDone(route: string, p: RediffProgress): string {
  const lock = `another rediff of it is refused until the lock this one could not release expires (within ${p.lockSeconds / 60} minutes)`;
  if (p.stage === 'lock')
    return `route ${route} was not recomputed (nothing was cleared); if it took its lock, another rediff of it is refused until the lock expires (within ${p.lockSeconds / 60} minutes)`;
  if (p.stage === 'clear')
    return `route ${route} was not recomputed, and its results may have been cleared (then empty until a rediff completes); ${lock}`;
  return `route ${route} was not recomputed: ${p.recomputed} of its ${p.total} stored exchanges were, so its results count only those until a rediff completes; ${lock}`;
}

/**
 * `tandem rediff --route NAME`: recompute a route's results after its rules changed.
 *
 * @example
 * registerRediffCommand(program);
 */
export function registerRediffCommand(program: Command): void {
  program
    .command('rediff')
    .description(
      "recompute a route's results (counters, fields, signatures, mismatches) from its stored exchanges under the current rules; covers the exchanges retention kept",
    )
    .option('-c, --config <file>', `config file (YAML or JSON): routes, compare rules, and the Redis: ${REDIS_OF_CONFIG}`, 'tandem.yaml')
    .requiredOption('-r, --route <name>', 'the route to recompute (a configured route name)')
    .addHelpText(
      'after',
      `\n${wrapHelp(`Exit codes: 0 done, 1 failure (e.g. Redis unreachable), 2 bad usage (e.g. no --route), bad config, unknown route or ${NO_REDIS}.`)}\n\nExample:\n  tandem rediff -c tandem.yaml --route product`,
    )
    .action(async (opts: { config: string; route: string }) => {
      const config = loadConfigOrExit(opts.config);
      if (!config.routes.some((r) => r.name === opts.route)) {
        process.stderr.write(
          `tandem rediff: no configured route is named "${opts.route}" (configured: ${config.routes.map((r) => r.name).join(', ') || 'none'})\n`,
        );
        process.exit(2);
      }
      const target = await joinRedis(config.redis);
      if (!target) {
        process.stderr.write(noRedisMessage('tandem rediff', opts.config, config.redis.dataDir));
        process.exit(2);
      }
      const started = Date.now();
      const out = await runRediff(config, target, opts.route);
      const classes = Object.entries(out.byClass)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      process.stdout.write(
        `route ${opts.route}: recomputed ${out.recomputed} stored exchanges in ${Date.now() - started} ms${classes ? ` (${classes})` : ''}\n`,
      );
    });
}
