import type { Router } from 'express';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { QueueLag, TandemMetrics } from '../metrics';
import type { HealthReadiness } from '../ops';
import type { ExchangeProducer } from '../queue';
import type { Redactor } from '../redact';
import type { Rollout } from '../rollout';
import type { RuntimeRules } from '../rules';
import type { ShadowDispatcher } from '../shadow';
import type { CounterBuffer, RedisTarget, ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import type { Comparer, ComparisonWorker } from '../worker';

/** Everything a running Tandem process holds, wired once from the config. */
export interface Runtime {
  readonly config: TandemConfig;
  readonly log: Logger;
  readonly translators: TranslatorRegistry;
  readonly counters: CounterBuffer;
  readonly shadow: ShadowDispatcher;
  readonly producer: ExchangeProducer;
  /** Resolves once Redis is reachable and the queue (and worker) exist. */
  readonly ready: Promise<void>;
  /** Available after `ready`. */
  store(): ResultsStore;
  /** Runtime compare rules and learned noise (shared with the in-process worker); available after `ready`. */
  rules(): RuntimeRules;
  /** Where this runtime's Redis is (the embedded one's URL when it started its own); available after `ready`. */
  redisTarget(): RedisTarget | undefined;
  worker(): ComparisonWorker | null;
  /**
   * Where this process compares exchanges (the in-process worker, a rediff asked for in
   * the report): worker threads unless `worker.threads` is 0, so comparisons never stall
   * the proxy's event loop. Available after `ready`.
   */
  comparer(): Comparer;
  /** Prometheus metrics of this process (its own registry). */
  readonly metrics: TandemMetrics;
  /** Queue depth and the comparison lag, read from Redis (rejects while it is away). */
  queueLag(): Promise<QueueLag>;
  /** Readiness: RedisClient, the in-process worker (if any), legacy reachable. */
  readiness(): Promise<HealthReadiness>;
  /** Per-customer phases: customer identification, the phase decision, the rollout API's operations. */
  readonly rollout: Rollout;
  /**
   * The deployment's redactor (fingerprints under the redaction key); available once the
   * key is known (at once when configured, else after `ready`). Exchanges are queued only
   * after passing through it.
   */
  redactor(): Redactor;
  /**
   * The web report and its JSON API, to mount at `config.report.path` (built on first
   * use, then the same router). The proxy path mounts it without knowing what it is.
   */
  reportRouter(): Router;
  /** Flush and stop everything this runtime started; in-flight shadows finish first. */
  close(): Promise<void>;
}
