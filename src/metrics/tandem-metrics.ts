import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { registerQueueGauges, type QueueProbe as QueueOnlyProbe } from './queue-gauges';
import { registerMatchRateGauge, type CountersProbe } from './match-rate-gauge';

/** What the scrape-time gauges read: the queue, local buffers, the routes' result counters. */
export type QueueProbe = QueueOnlyProbe & CountersProbe;

/** Which backend answered the client. */
export type ServingBackend = 'legacy' | 'candidate';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Tandem's Prometheus metrics on a registry of their own (never prom-client's global
 * one, so several Tandems can live in one process). Every method is a cheap in-memory
 * update; queue gauges are read from Redis only when scraped.
 *
 * @example
 * const m = new TandemMetrics();
 * m.served('product', 'legacy', 200, 0.012);
 * const text = await m.registry.metrics();
 */
export class TandemMetrics {
  readonly registry = new Registry();
  private probe: QueueProbe | null = null;
  private exposition: (() => Promise<string>) | null = null;

  private readonly requests = this.counter('tandem_requests_total', 'Client requests by route and the backend that served them', [
    'route',
    'backend',
    'status',
  ]);
  private readonly duration = new Histogram({
    name: 'tandem_request_duration_seconds',
    help: 'Time to serve the client (arrival to last byte), by route and backend',
    labelNames: ['route', 'backend'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly candidateDuration = new Histogram({
    name: 'tandem_candidate_duration_seconds',
    help: "Candidate's response time on the shadow path",
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly servedChildren = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  private readonly seen = this.counter('tandem_seen_total', 'Requests that matched a configured route', ['route']);
  private readonly shadowed = this.counter('tandem_shadowed_total', 'Requests mirrored to the candidate', ['route']);
  private readonly untranslated = this.counter(
    'tandem_untranslated_total',
    'Requests whose request translator failed: queued as translation_error, never sent to the candidate',
    ['route'],
  );
  private readonly skipped = this.counter('tandem_skipped_total', 'Matched requests not shadowed, by reason', ['route', 'reason']);
  private readonly dropped = this.counter('tandem_dropped_total', 'Exchanges that will never be compared, by reason', ['route', 'reason']);
  private readonly compared = this.counter('tandem_compared_total', 'Exchanges compared, by result class', ['route', 'result']);
  private readonly mismatches = this.counter('tandem_mismatches_total', 'Mismatches by route and risk', ['route', 'risk']);
  private readonly fallbacks = this.counter('tandem_fallbacks_total', 'Candidate-served requests that fell back to legacy, by reason', [
    'route',
    'reason',
  ]);
  private readonly notifications = this.counter('tandem_notifications_total', 'Notification events, by type and outcome', [
    'type',
    'outcome',
  ]);

  /**
   * @param o.defaultMetrics add prom-client's process metrics
   * @param o.readTimeoutMs how long a scrape waits for what it reads from Redis (ms; `health.timeoutMs`, 1000 by default)
   */
  constructor(o: { defaultMetrics?: boolean; readTimeoutMs?: number } = {}) {
    if (o.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    registerQueueGauges(this.registry, () => this.probe, o.readTimeoutMs);
    registerMatchRateGauge(this.registry, () => this.probe, o.readTimeoutMs);
  }

  /**
   * Prometheus text exposition of every metric: this registry's, or what `exposeFrom` set
   * (the figures of every process of `tandem serve --processes`).
   */
  text(): Promise<string> {
    return this.exposition ? this.exposition() : this.registry.metrics();
  }

  /**
   * Serve `text` at the metrics endpoints instead of this process's own registry (which
   * `registry` still holds, for whoever aggregates it).
   *
   * @example
   * metrics.exposeFrom(() => askPrimaryForAllProcesses());
   */
  exposeFrom(text: () => Promise<string>): void {
    this.exposition = text;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Read queue depth and lag (and local buffers, and the routes' match rates) from `probe` at each scrape. */
  watchQueue(probe: QueueProbe): void {
    this.probe = probe;
  }

  /** The ingress counter hook: `seen`, `shadowed`, `untranslated`, `skipped:<reason>`, `dropped:<reason>`, `fallback:<reason>` (other fields are ignored). */
  count(route: string, field: string, n = 1): void {
    const colon = field.indexOf(':');
    if (colon === -1) {
      if (field === 'seen') this.seen.inc({ route }, n);
      else if (field === 'shadowed') this.shadowed.inc({ route }, n);
      else if (field === 'untranslated') this.untranslated.inc({ route }, n);
      return;
    }
    const kind = field.slice(0, colon);
    const reason = field.slice(colon + 1);
    if (kind === 'skipped') this.skipped.inc({ route: route || '(none)', reason }, n);
    else if (kind === 'dropped') this.dropped.inc({ route: route || '(none)', reason }, n);
    else if (kind === 'fallback') this.fallbacks.inc({ route, reason }, n);
  }

  /**
   * One client request served, with its status (`closed`: the client left before any status
   * was sent) and time to the last byte (or to the close).
   */
  served(route: string, backend: ServingBackend, status: number | 'closed', seconds: number): void {
    const cls = status === 'closed' ? status : `${Math.floor(status / 100)}xx`;
    const key = `${route}\u0000${backend}\u0000${cls}`;
    let s = this.servedChildren.get(key);
    if (!s) {
      // prom-client hashes the label object on every call; the request path looks its children up once.
      s = { count: this.requests.labels(route, backend, cls), time: this.duration.labels(route, backend) };
      this.servedChildren.set(key, s);
    }
    s.count.inc();
    s.time.observe(seconds);
  }

  /** The candidate's response time on the shadow path. */
  candidateLatency(route: string, ms: number): void {
    this.candidateDuration.observe({ route }, ms / 1000);
  }

  /** One comparison recorded (call once per exchange; duplicates are not counted). */
  result(route: string, cls: string, risk?: string): void {
    this.compared.inc({ route, result: cls });
    if (cls === 'mismatch') this.mismatches.inc({ route, risk: risk || 'unknown' });
  }

  /** A candidate-served request that fell back to legacy. */
  fallback(route: string, reason: string): void {
    this.fallbacks.inc({ route, reason });
  }

  /** A notification event: `sent`, `failed` (after every retry), `logged` (no webhook), `deduplicated`. */
  notification(type: string, outcome: 'sent' | 'failed' | 'logged' | 'deduplicated'): void {
    this.notifications.inc({ type, outcome });
  }

  private counter(name: string, help: string, labelNames: string[]): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
