import { startServer, type TandemServer } from '../../../src/ingress';
import type { TandemOptions } from '../../../src/config';
import type { TestBackend } from '../../support/backends';
import { killAll, writeConfig } from '../../support/processes';
import { deletePrefix, TEST_REDIS_URL } from '../../support/redis';

/** The report token of the worker fault tests' configs. */
export const FAULTS_TOKEN = 'faults-token-0123456789';

/**
 * The config the worker fault tests share (a free port, a 1 s candidate timeout, short job
 * locks so a dead worker's jobs move on quickly), with `extra` on top; `extra.worker`
 * is merged into the shared worker settings.
 *
 * @example
 * const config = workerFaultConfig({ legacy: legacy.url, candidate: candidate.url, prefix }, { routes: [{ name: 'p', match: 'GET /p/:id' }] });
 */
export function workerFaultConfig(
  o: { legacy: string; candidate: string; prefix: string },
  extra: Omit<TandemOptions, 'legacy' | 'candidate' | 'worker'> & { worker?: Partial<NonNullable<TandemOptions['worker']>> },
): TandemOptions {
  const { worker, ...rest } = extra;
  return {
    listen: { port: 0, host: '127.0.0.1' },
    legacy: { url: o.legacy },
    candidate: { url: o.candidate, timeoutMs: 1000 },
    redis: { url: TEST_REDIS_URL, prefix: o.prefix },
    report: { token: FAULTS_TOKEN },
    ...rest,
    worker: { concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000, ...worker },
  };
}

/**
 * The ingress in this process, queueing only (the workers are separate processes started
 * from `configFile`, the same config written to `dir`).
 *
 * @example
 * const { tandem, configFile } = await startQueueingIngress(dir.path, config);
 */
export async function startQueueingIngress(dir: string, config: TandemOptions): Promise<{ tandem: TandemServer; configFile: string }> {
  const configFile = writeConfig(dir, config);
  const tandem = await startServer({ ...config, log: { level: 'silent' } }, { worker: false });
  await tandem.middleware.ready;
  return { tandem, configFile };
}

/**
 * Stop what a worker fault test started: worker processes, the ingress, the backends,
 * then remove its Redis keys and its folder.
 *
 * @example
 * afterAll(() => stopWorkerRig({ tandem, backends: [legacy, candidate], prefix, dir }));
 */
export async function stopWorkerRig(r: {
  tandem?: TandemServer;
  backends: (TestBackend | undefined)[];
  prefix: string;
  dir: { remove(): void };
}): Promise<void> {
  await killAll();
  await r.tandem?.close();
  await Promise.all(r.backends.map((b) => b?.close()));
  await deletePrefix(r.prefix);
  r.dir.remove();
}
