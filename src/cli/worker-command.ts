import type { Command } from 'commander';
import { closeStep, createLogger } from '../log';
import { checkRedisVersion, describeRedisTarget, openRedis, storeKeys } from '../store';
import { redactKeyFor } from '../redact';
import { createComparerFor, createStoreFor, createTranslatorsFor, createWorkerFor, joinRedis, noRedisMessage } from '../runtime';
import { loadConfigOrExit, onShutdown } from './load-or-exit';
import { createWorkerOps } from '../ops';
import type { ListenError } from '../ingress';
import { port, wholeNumber } from './number-options';
import { useWorkerHeapGrowth } from './heap-growth';
import { workerConcurrency } from '../config';
import { REDIS_OF_CONFIG } from './main-help';

/**
 * `tandem worker`: compare queued exchanges (scale out by running several).
 *
 * @example
 * registerWorkerCommand(program);
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('compare queued exchanges and store the results; run as many as needed against one Redis')
    .option('-c, --config <file>', `config file (YAML or JSON); its Redis: ${REDIS_OF_CONFIG}`, 'tandem.yaml')
    .option('--concurrency <n>', 'jobs compared at once, over all queue partitions (overrides worker.concurrency)', wholeNumber(1))
    .option('--metrics-port <port>', 'serve metrics.path (default /metrics) and the health paths on this port (0 picks a free one)', port)
    .option(
      '--metrics-host <host>',
      'address for --metrics-port (0.0.0.0 to reach it from other machines, like ops.listen.host)',
      '127.0.0.1',
    )
    .action(async (opts: { config: string; concurrency?: number; metricsPort?: number; metricsHost: string }) => {
      useWorkerHeapGrowth(process.execArgv);
      const config = loadConfigOrExit(opts.config);
      const target = await joinRedis(config.redis);
      if (!target) {
        process.stderr.write(noRedisMessage('tandem worker', opts.config, config.redis.dataDir));
        process.exit(2);
      }
      const log = createLogger(config.log.level, 'tandem-worker');
      const worker = config.worker;
      const cfg = { ...config, worker: { ...worker, concurrency: opts.concurrency ?? workerConcurrency(worker, false) } };
      const storeRedis = openRedis(target, 'client');
      const store = createStoreFor(config, storeRedis);
      void checkRedisVersion(storeRedis, log);
      const ops = createWorkerOps(config, { target, redis: storeRedis, store, log });
      const translators = createTranslatorsFor(config);
      // `worker.threads` set: comparisons on that many threads (more cores per worker process); unset, on this one.
      const redactKey = redactKeyFor(config.redact.key, storeRedis, storeKeys(config.redis.prefix).redactKey);
      const comparer = createComparerFor(config, redactKey, translators, { threads: config.worker.threads ?? 0 });
      const w = createWorkerFor(cfg, { redis: target, store, translators, log, onResult: ops.onResult, comparer });
      if (opts.metricsPort !== undefined) {
        const { url, listening } = await ops
          .serve(opts.metricsPort, opts.metricsHost, () => w)
          .catch((e: NodeJS.ErrnoException) => {
            // Named as serve names its listeners (ERR_TANDEM_LISTEN_FAILED, exit 2), with the flag to change.
            if (e.syscall !== 'listen') throw e;
            // Required here only: the ingress (express and the proxy) is not otherwise part of a worker.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { ListenError: Failed } = require('../ingress') as { ListenError: typeof ListenError };
            throw new Failed(e, {
              listener: 'worker metrics',
              host: opts.metricsHost,
              port: opts.metricsPort!,
              from: `--metrics-port ${opts.metricsPort}`,
            });
          });
        log.info({ listening, metrics: `${url}${config.metrics.path}` }, `serving metrics and health on ${listening}`);
      }
      onShutdown(async () => {
        await w.close();
        await closeStep(log, 'comparison threads', () => comparer?.close(), 2000);
        await closeStep(log, 'operations server', () => ops.close(), 3000);
        if (!(await closeStep(log, 'redis connection', () => storeRedis.quit(), 1000))) storeRedis.disconnect();
      }, 'finishing in-flight jobs and storing their results');
      // After the signal handlers: a supervisor (or a test) that signals on this line finds them in place. Logged
      // before them, a SIGTERM sent at once could arrive first and end the process unflushed (SIGTERM's default).
      log.info(
        {
          redis: describeRedisTarget(target),
          queue: config.queue.name,
          partitions: w.partitions(),
          concurrency: cfg.worker.concurrency,
        },
        'tandem worker started',
      );
    });
}
