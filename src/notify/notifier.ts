import type { RedisClient } from '../store';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ComparisonResult, ExchangeRecord } from '../records';
import { formatRate, matchFigures, storeKeys, type KeyDeployment, type StoreKeys } from '../store';
import type { TandemMetrics } from '../metrics/tandem-metrics';
import { matchRateEvent, newSignatureEvent, type NotificationEvent } from './events';
import { deliverWebhook } from './webhook-sender';

/** What the notifier needs: a Redis for dedupe, the `notify` settings, where to log and count. */
export interface NotifierOptions {
  redis: RedisClient;
  /** `redis.prefix` (or the `redis` section, with its tagging); dedupe keys live under its hash tags. */
  prefix: string | KeyDeployment;
  notify: TandemConfig['notify'];
  /** `report.path`, for links in events. */
  reportPath: string;
  /** How long a signature's dedupe key lives (the retention TTL). */
  dedupeTtlSeconds: number;
  log: Logger;
  metrics?: TandemMetrics;
}

/**
 * Raises notification events from comparison results: one per new mismatch signature
 * on a route, one per route and window whose match rate (the store's `matchFigures`:
 * errors count against it) is under `matchRateBelow`.
 * Deduplicated across every Tandem process by `SET NX` keys in Redis; delivered to the
 * webhook with retries (or logged when there is none). Fire and forget: `onResult`
 * never throws and never delays the caller.
 *
 * @example
 * const notifier = new Notifier({ redis, prefix: 'tandem', notify: config.notify, reportPath: '/_tandem', dedupeTtlSeconds: 604800, log });
 * notifier.onResult(exchange, result, await store.record(exchange, result, extra));
 */
export class Notifier {
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly sentWindows = new Set<string>();
  private readonly keys: StoreKeys;

  constructor(private readonly o: NotifierOptions) {
    this.keys = storeKeys(o.prefix);
  }

  onResult(ex: ExchangeRecord, result: ComparisonResult, outcome: 'duplicate' | 'recorded' | 'new-signature'): void {
    if (outcome === 'duplicate' || this.stopping.signal.aborted) return;
    if (outcome === 'new-signature' && this.o.notify.newSignatures) this.track(this.onNewSignature(ex, result));
    if (this.o.notify.matchRateBelow !== undefined) this.track(this.onComparable(ex.route, result.class));
  }

  /** Resolves when every raised event has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Stop raising events; wait up to `timeoutMs` for deliveries in progress, then stop retrying. */
  async close(timeoutMs = 5000): Promise<void> {
    const timer = setTimeout(() => this.stopping.abort(), timeoutMs);
    await this.idle();
    clearTimeout(timer);
    this.stopping.abort();
  }

  private track(p: Promise<void>): void {
    const done = p
      .catch((e: Error) => this.o.log.warn({ err: e.message }, 'notification skipped: RedisClient did not answer'))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private async onNewSignature(ex: ExchangeRecord, result: ComparisonResult): Promise<void> {
    const first = await this.o.redis.set(
      this.keys.notifySignature(ex.route, result.signature ?? ''),
      ex.id,
      'EX',
      this.o.dedupeTtlSeconds,
      'NX',
    );
    if (first !== 'OK') return this.o.metrics?.notification('new_signature', 'deduplicated');
    // The link names the id the store recorded (an id without its route's mark gets it under per-route tagging).
    await this.emit(newSignatureEvent({ ...ex, id: this.keys.recordId(ex.route, ex.id) }, result, this.o.reportPath));
  }

  private async onComparable(route: string, cls: string): Promise<void> {
    const { windowSeconds, minCompared, matchRateBelow } = this.o.notify;
    const index = Math.floor(Date.now() / 1000 / windowSeconds);
    const key = this.keys.notifyRate(route, index);
    // the window's counts by result class, rated by the one match-rate definition
    const replies = await this.o.redis
      .multi()
      .hincrby(key, cls, 1)
      .expire(key, windowSeconds * 2)
      .hgetall(key)
      .exec();
    const counts = Object.fromEntries(Object.entries((replies?.[2]?.[1] ?? {}) as Record<string, string>).map(([k, v]) => [k, Number(v)]));
    const figures = matchFigures(counts);
    const { results: compared, rate } = figures;
    if (compared < minCompared || (rate ?? 1) >= (matchRateBelow ?? 0) || this.sentWindows.has(key)) return;
    this.sentWindows.add(key);
    if (this.sentWindows.size > 1000) this.sentWindows.clear();
    const first = await this.o.redis.set(this.keys.notifyRateSent(route, index), '1', 'EX', windowSeconds * 2, 'NX');
    if (first !== 'OK') return;
    await this.emit(matchRateEvent(route, figures, matchRateBelow ?? 0, { start: index * windowSeconds * 1000, seconds: windowSeconds }));
  }

  private async emit(event: NotificationEvent): Promise<void> {
    const { webhookUrl, headers, attempts, retryDelayMs, timeoutMs } = this.o.notify;
    if (!webhookUrl) {
      this.o.metrics?.notification(event.type, 'logged');
      return void this.o.log.warn({ event }, `tandem notification: ${summary(event)}`);
    }
    const r = await deliverWebhook(webhookUrl, event, { headers, attempts, retryDelayMs, timeoutMs, signal: this.stopping.signal });
    this.o.metrics?.notification(event.type, r.ok ? 'sent' : 'failed');
    if (r.ok) this.o.log.info({ event: event.id, type: event.type, route: event.route, attempts: r.attempts }, 'notification sent');
    else
      this.o.log.warn(
        { event, attempts: r.attempts, status: r.status, err: r.error },
        `notification could not be delivered: ${summary(event)}`,
      );
  }
}

function summary(e: NotificationEvent): string {
  return e.type === 'new_signature'
    ? `new mismatch signature on route ${e.route}: ${e.signature} (${e.risk})`
    : `match rate of route ${e.route} is ${formatRate(e.matchRate)} (< ${formatRate(e.threshold)}) over ${e.compared} comparisons`;
}
