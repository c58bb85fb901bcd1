import type { Command } from 'commander';
import type { startServer } from '../ingress';
import { createLogger } from '../log';
import { dataDirTaken, redisTargetOf } from '../store';
import { loadConfigOrExit, onShutdown } from './load-or-exit';
import { port } from './number-options';
import { isServeChild, joinPrimary, parseProcesses, servePrimary } from './serve-processes';

/**
 * `tandem serve`: the proxy, with an in-process worker unless `--no-worker`.
 *
 * @example
 * registerServeCommand(program);
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve legacy to clients, shadow configured routes to the candidate, compare in the background')
    .option('-c, --config <file>', 'config file (YAML or JSON)', 'tandem.yaml')
    .option(
      '-p, --port <port>',
      "listen port (overrides listen.port); the report's and operations' listeners default to it + 1 and + 2 (report.listen.port, ops.listen.port)",
      port,
    )
    .option('--no-worker', 'do not compare in this process (run `tandem worker` separately)')
    .option(
      '--processes <n>',
      'serve from n processes (node:cluster; auto: one per core) that share the ports and nothing but Redis, each with its own in-process worker unless --no-worker; a process that dies is replaced',
      parseProcesses,
      1,
    )
    .action(async (opts: { config: string; port?: number; worker: boolean; processes: number }) => {
      const { processes } = opts;
      const config = loadConfigOrExit(opts.config);
      // A data folder another `tandem serve` owns is refused before anything starts (no report token
      // generated, nothing listening), in one line and with exit 2, like a taken port.
      const taken = isServeChild() || redisTargetOf(config.redis) ? null : dataDirTaken(config.redis.dataDir);
      if (taken) {
        process.stderr.write(`tandem: ${taken.message}\n`);
        process.exit(2);
      }
      if (processes > 1 && !isServeChild()) {
        const primary = servePrimary(config, { processes, log: createLogger(config.log.level, 'tandem') });
        onShutdown(() => primary.stop());
        return primary.started;
      }
      // The proxy (express, http-proxy-middleware, the report's routes) is loaded by the command that serves it:
      // `tandem worker` and the others never hold it. Still before anything listens, so what fails at start fails at start.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startServer: start } = require('../ingress') as { startServer: typeof startServer };
      // A resolved config must not be spread (that drops its resolved mark): the port goes beside it.
      const starting = start(config, { worker: opts.worker && config.worker.inProcess, port: opts.port });
      // Registered before anything listens, so a signal during start-up still stops cleanly. A start that fails
      // exits with its own code (2 for a port taken), also when a stop was asked meanwhile: not "stop failed" (1).
      const stopNow = onShutdown(async () => (await starting.catch(() => new Promise<never>(() => undefined))).close());
      const child = isServeChild();
      if (child) joinPrimary(starting, stopNow);
      const srv = await starting;
      const log = srv.middleware.runtime.log;
      await srv.middleware.ready;
      log.info(
        {
          url: srv.url,
          reportUrl: srv.reportUrl,
          opsUrl: srv.opsUrl,
          legacy: config.legacy.url,
          candidate: config.candidate.url,
          routes: config.routes.length,
        },
        // One of `--processes`' processes: the primary says `tandem is serving` once all of them do.
        child ? 'tandem process is serving' : 'tandem is serving',
      );
      log.info(
        `report: ${srv.reportUrl}${config.report.path}/${srv.reportUrl === srv.url ? ' (mounted on the proxy: same origin as the proxied application)' : ''}`,
      );
      log.info(
        `health and metrics: ${srv.opsUrl}${config.health.livePath}, ${srv.opsUrl}${config.health.readyPath}, ${srv.opsUrl}${config.metrics.path}`,
      );
    });
}
