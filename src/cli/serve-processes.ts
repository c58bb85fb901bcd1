import cluster, { type Worker } from 'node:cluster';
import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { CONFIG_ENV, type TandemConfig } from '../config';
import type { TandemServer } from '../ingress';
import type { Logger } from '../log';
import { resolveRedis, runtimeCloseMs } from '../runtime';
import { redisTargetOf, type EmbeddedRedis } from '../store';

/** The most `--processes` takes (a typo such as 1000 would fork a thousand Node processes). */
export const MAX_PROCESSES = 64;

/**
 * `--processes`' argParser: a whole number from 1 to `MAX_PROCESSES`, or `auto` (the cores
 * this process may use, `os.availableParallelism()`). Throws commander's InvalidArgumentError
 * (a usage error, exit 2) otherwise.
 *
 * @example
 * parseProcesses('auto'); // 2 on a two-core machine
 * parseProcesses('0');    // throws InvalidArgumentError('must be a whole number from 1 to 64, or auto (one per core)')
 */
export function parseProcesses(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (/^\d+$/.test(value) && n >= 1 && n <= MAX_PROCESSES) return n;
  throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_PROCESSES}, or auto (one per core)`);
}

/** Whether this process is one of `tandem serve --processes`' serving processes. */
export const isServeChild = (): boolean => cluster.isWorker && process.env.TANDEM_SERVE_PROCESS === '1';

/** Messages between the primary and its serving processes (all carry `tandem`). */
type Message =
  | { tandem: 'joined' }
  | { tandem: 'serving'; url: string; reportUrl: string; opsUrl: string }
  | { tandem: 'stop' }
  | { tandem: 'metrics'; id: number; metrics?: MetricObjectWithValues<MetricValue<string>>[] }
  | { tandem: 'all-metrics'; id: number; text?: string; error?: string };

/** Set in a serving process's environment by the primary (read as process.env.TANDEM_SERVE_PROCESS). */
const CHILD_MARK = 'TANDEM_SERVE_PROCESS';
/**
 * How long the primary waits for one process's metrics at a scrape (ms): 2 s, or a second more
 * than `health.timeoutMs` when that is longer, since each process waits that long for what it
 * reads from Redis. A process that does not answer in time is left out.
 */
const metricsWaitMs = (config: Pick<TandemConfig, 'health'>) => Math.max(2000, config.health.timeoutMs + 1000);
/** A process that lived less than this (ms) crashed at start-up: the next one waits (backoff), so a crash loop does not spin. */
const STABLE_MS = 10_000;

/**
 * The primary of `tandem serve --processes N`: it never proxies. It starts the embedded Redis
 * once (when the config names no Redis) and hands its URL to the processes as `REDIS_URL`
 * (and the generated report token, when none is configured, as `TANDEM_REPORT_TOKEN`);
 * forks `processes` serving processes (node:cluster: they share the proxy's, the report's and
 * the operations listeners' ports, connections dealt out round-robin by the primary) and logs
 * `tandem is serving` once every one serves. Each process is a whole `tandem serve` (its own
 * shadow client, producer, counters and, unless `--no-worker`, in-process worker); they share
 * nothing but Redis. The metrics endpoint of any process answers with every process's
 * figures (`aggregate`); readiness is the answering process's own.
 *
 * A process that dies after the start is replaced (at once, or after 0.5–10 s when it had
 * lived under 10 s). A process that exits during the start (a port taken, Redis refusing)
 * stops the others, and once all are gone the primary exits with the highest code any of them
 * exited with (2, a listener or config problem, over 1), not the first's. `stop()` (SIGINT/SIGTERM)
 * asks every process to stop as `tandem serve` does (finish in-flight requests and shadows, flush),
 * waits for them (SIGKILL after `legacy.timeoutMs` + 60 s), then stops the embedded Redis; it rejects
 * (the primary then exits 1) when a process did not finish its shutdown (a second Ctrl-C, a crash, the deadline).
 *
 * `started` resolves once every process serves (it never resolves when the start failed:
 * the primary has exited then).
 *
 * @example
 * const primary = servePrimary(config, { processes: 2, log });
 * onShutdown(() => primary.stop());
 * await primary.started;
 */
export function servePrimary(
  config: TandemConfig,
  o: { processes: number; log: Logger },
): { stop(): Promise<void>; pids(): number[]; started: Promise<void> } {
  const { log } = o;
  const env: Record<string, string> = { [CHILD_MARK]: '1' };
  // One report token for every process (a session signed by one is checked by another), printed once.
  if (config.report.tokenGenerated) {
    env[CONFIG_ENV.reportToken] = config.report.token;
    log.warn(
      `no report.token configured (nor TANDEM_REPORT_TOKEN); generated one for this run: ${config.report.token} (report at ${config.report.path}/)`,
    );
  }
  let embedded: EmbeddedRedis | undefined;
  const redis = redisTargetOf(config.redis)
    ? Promise.resolve()
    : resolveRedis(config.redis, log).then((resolved) => {
        embedded = resolved.embedded;
        env[CONFIG_ENV.redisUrl] = String(resolved.target);
      });
  /** `joined`: it handles the primary's messages (and signals) as `tandem serve` does; `serving`: it serves. */
  const serving = new Map<Worker, { startedAt: number; joined: boolean; serving: boolean }>();
  const metricsWaits = new Map<number, { left: Set<Worker>; parts: MetricObjectWithValues<MetricValue<string>>[][]; done(): void }>();
  let nextId = 0;
  let stopping: Promise<void> | null = null;
  let restartTimer: NodeJS.Timeout | undefined;
  let crashes = 0;
  const unclean: string[] = [];
  let allServing = false;
  /** A failed start's exit code: the highest of the processes' exits during the start (a signal counts 1), not the first's. */
  let startExitCode = 0;
  let onStarted: (failed?: true) => void = () => undefined;
  const allStarted = new Promise<true | undefined>((done) => (onStarted = done));
  let onAllExited = () => undefined as void;
  const allExited = new Promise<void>((done) => (onAllExited = done));

  /** Every serving process's metrics, aggregated (counters and histograms summed, Redis-read gauges once). */
  const aggregate = async (): Promise<string> => {
    const id = nextId++;
    const asked = [...serving].filter(([w, s]) => s.serving && w.isConnected()).map(([w]) => w);
    const parts: MetricObjectWithValues<MetricValue<string>>[][] = [];
    await new Promise<void>((done) => {
      const timer = setTimeout(() => finish(), metricsWaitMs(config));
      const finish = () => (clearTimeout(timer), metricsWaits.delete(id), done());
      metricsWaits.set(id, { left: new Set(asked), parts, done: finish });
      for (const w of asked) sendTo(w, { tandem: 'metrics', id });
      if (!asked.length) finish();
    });
    return AggregatorRegistry.aggregate(parts).metrics();
  };

  const onMessage = (w: Worker, m: Message) => {
    if (!m || typeof m !== 'object' || !('tandem' in m)) return;
    if (m.tandem === 'joined') {
      const s = serving.get(w);
      if (s) s.joined = true;
      // From here the process handles signals and the primary's stop request (what a supervisor or a test waits for).
      log.debug({ pid: w.process.pid }, 'a serving process joined');
    } else if (m.tandem === 'serving') {
      const s = serving.get(w);
      if (s) s.serving = true;
      if (!allServing && [...serving.values()].every((x) => x.serving) && serving.size === o.processes) {
        allServing = true;
        log.info({ url: m.url, reportUrl: m.reportUrl, opsUrl: m.opsUrl, processes: o.processes, pids: pids() }, 'tandem is serving');
        onStarted();
      }
    } else if (m.tandem === 'metrics' && m.metrics) {
      const wait = metricsWaits.get(m.id);
      if (!wait) return;
      wait.parts.push(m.metrics);
      wait.left.delete(w);
      if (!wait.left.size) wait.done();
    } else if (m.tandem === 'all-metrics') {
      aggregate().then(
        (text) => sendTo(w, { tandem: 'all-metrics', id: m.id, text }),
        (e: Error) => sendTo(w, { tandem: 'all-metrics', id: m.id, error: e.message }),
      );
    }
  };

  // A process that exited before the primary read its channel's end looks connected, and the write fails (EPIPE):
  // without a callback, an 'error' event on the worker, which ended the primary (exit 1 instead of the start's 2).
  const sendTo = (w: Worker, m: Message) =>
    w.isConnected() && w.send(m, undefined, (e) => e && log.debug({ pid: w.process.pid, err: e.message }, 'a message was not sent'));

  const fork = () => {
    const w = cluster.fork(env);
    serving.set(w, { startedAt: Date.now(), joined: false, serving: false });
    w.on('message', (m: Message) => onMessage(w, m));
    w.on('error', (e: Error) => log.warn({ pid: w.process.pid, err: e.message }, 'a serving process failed'));
  };
  const pids = () => [...serving.keys()].map((w) => w.process.pid ?? 0);

  cluster.on('exit', (w, code, signal) => {
    const s = serving.get(w);
    serving.delete(w);
    for (const wait of metricsWaits.values()) if (wait.left.delete(w) && !wait.left.size) wait.done();
    if (!allServing) startExitCode = Math.max(startExitCode, typeof code === 'number' && code > 0 ? code : signal ? 1 : 0);
    if (stopping) {
      // Not a clean stop (a second signal, a crash, the deadline's SIGKILL): what it held may be lost, so stop() fails.
      // One that had not joined held nothing (SIGTERM ended it before it could handle it).
      if (code !== 0 && s?.joined) unclean.push(`pid ${w.process.pid} ${signal ? `killed by ${signal}` : `exited ${code}`}`);
      if (!serving.size) onAllExited();
      return;
    }
    if (!allServing) {
      log.error({ pid: w.process.pid, code, signal }, 'a serving process exited during the start; stopping the others');
      startExitCode ||= 1;
      onStarted(true);
      return;
    }
    const lived = Date.now() - (s?.startedAt ?? 0);
    crashes = lived < STABLE_MS ? crashes + 1 : 0;
    const delay = crashes ? Math.min(STABLE_MS, 250 * 2 ** crashes) : 0;
    log.warn({ pid: w.process.pid, code, signal, restartInMs: delay }, 'a serving process exited; starting another');
    restartTimer = setTimeout(() => void (stopping || fork()), delay);
  });

  /** Stops every process (see above); rejects, once all are gone, when one did not stop cleanly (exit 1 from `onShutdown`). */
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(restartTimer);
      await redis.catch(() => undefined);
      if (serving.size) {
        // A message, not SIGTERM, to every process that handles signals already (joined, serving or still starting): a
        // terminal's Ctrl-C gave it SIGINT too, and SIGTERM on top would be a second signal (exit without flushing).
        // One that has not joined yet has no handler: SIGTERM ends it (it holds nothing yet), or it handles it once it can.
        for (const [w, s] of serving)
          if (s.joined && w.isConnected()) sendTo(w, { tandem: 'stop' });
          else w.process.kill('SIGTERM');
        const deadline = setTimeout(() => {
          log.warn({ pids: pids() }, 'serving processes did not stop in time; killing them');
          for (const w of serving.keys()) w.process.kill('SIGKILL');
        }, stopDeadlineMs(config));
        await allExited;
        clearTimeout(deadline);
      }
      await embedded?.stop();
      if (unclean.length)
        throw new Error(`serving processes did not finish their shutdown (${unclean.join(', ')}): what they held may be lost`);
    })());

  const started = (async () => {
    await redis;
    if (stopping) return new Promise<void>(() => undefined);
    log.info({ processes: o.processes }, `starting ${o.processes} serving processes`);
    for (let i = 0; i < o.processes; i++) fork();
    if (await allStarted) {
      await stop().catch(() => undefined); // the start's failure is what the exit code says, once every process is gone
      process.exit(startExitCode);
    }
  })();
  return { stop, pids, started };
}

/**
 * How long the primary waits for its serving processes to stop before it kills them, in
 * ms: what a serving process's stop may take (its in-flight requests, as long as a request
 * waits for legacy and a second, then its runtime's close, `runtimeCloseMs`) and 5 s more,
 * so a process that keeps to its own deadlines is never killed in its shutdown.
 *
 * @example
 * stopDeadlineMs(config); // 30_000 + 1000 + 71_000 + 5000 with the defaults
 */
export function stopDeadlineMs(config: Pick<TandemConfig, 'legacy' | 'candidate' | 'worker'>): number {
  return config.legacy.timeoutMs + 1000 + runtimeCloseMs(config) + 5000;
}

/**
 * Join the primary from a serving process: stop when it asks (`stopNow`, as on SIGTERM),
 * answer its requests for this process's metrics, serve every process's metrics at this
 * process's metrics endpoint (asked of the primary), and tell it once `srv` serves.
 * Call it before the server starts (with `srv` still to come) so a stop during the start is heard.
 *
 * @example
 * joinPrimary(startServer(config), onShutdown(() => srv.close()));
 */
export function joinPrimary(srv: Promise<TandemServer>, stopNow: (reason: string) => void): void {
  const waits = new Map<number, (m: Extract<Message, { tandem: 'all-metrics' }>) => void>();
  let nextId = 0;
  let server: TandemServer | null = null;
  const send = (m: Message) => process.connected && process.send!(m);
  process.on('message', (m: Message) => {
    if (!m || typeof m !== 'object' || !('tandem' in m)) return;
    if (m.tandem === 'stop') stopNow('asked to stop by the primary (tandem serve --processes)');
    else if (m.tandem === 'metrics') {
      const registry = server?.middleware.runtime.metrics.registry;
      (registry ? registry.getMetricsAsJSON() : Promise.resolve([])).then(
        (metrics) => send({ tandem: 'metrics', id: m.id, metrics }),
        () => send({ tandem: 'metrics', id: m.id, metrics: [] }),
      );
    } else if (m.tandem === 'all-metrics') waits.get(m.id)?.(m);
  });
  // From now on a stop is asked by message (its handler is registered), so the primary sends no SIGTERM on top of a Ctrl-C.
  send({ tandem: 'joined' });
  void srv.then(
    async (s) => {
      server = s;
      s.middleware.runtime.metrics.exposeFrom(
        () =>
          new Promise<string>((done, fail) => {
            const id = nextId++;
            const timer = setTimeout(
              () => (waits.delete(id), fail(new Error('the primary did not send the metrics'))),
              3 * metricsWaitMs(s.middleware.runtime.config),
            );
            waits.set(id, (r) => {
              clearTimeout(timer);
              waits.delete(id);
              if (r.text !== undefined) done(r.text);
              else fail(new Error(r.error ?? 'no metrics'));
            });
            send({ tandem: 'all-metrics', id });
          }),
      );
      await s.middleware.ready;
      send({ tandem: 'serving', url: s.url, reportUrl: s.reportUrl, opsUrl: s.opsUrl });
    },
    () => undefined,
  );
}
