import { randomBytes, randomUUID } from 'node:crypto';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import { newExchangeId, type ResultClass } from '../records';
import { createCustomerIdentifier } from '../rollout';
import { createRuntime, type Runtime } from '../runtime';
import type { ExchangeDraft } from '../shadow';
import { BodyCapture, createUpstream, sendRequest, type Upstream } from '../upstream';
import { openRedis, storeKeys } from '../store';
import { findRoute } from '../ingress/find-route';
import { skipReason } from './route-for';
import type { ReplayRequest } from './replay-request';
import { REPLAY_HEADER } from './replay-header';

/** What became of one replayed request. */
export type ReplayOutcome =
  | { kind: 'compared'; route: string; class: ResultClass }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; route: string; reason: string };

/**
 * One replay run: a Tandem runtime with its own private queue and in-process worker
 * on the configured Redis and prefix, so each replayed exchange takes exactly the
 * path of live traffic (translate, candidate, redact, queue, compare, store, notify)
 * and its result is awaited here. Exchanges are stored with `source: 'replay'` and
 * counted as `seen`, `replayed` and `shadowed` on their route.
 *
 * @example
 * const session = await ReplaySession.start(config, { log });
 * const outcome = await session.replay(request);
 * await session.close();
 */
export class ReplaySession {
  private readonly waiting = new Map<string, (cls: ResultClass) => void>();
  private readonly identify: ReturnType<typeof createCustomerIdentifier>;
  private rt!: Runtime;
  private legacy!: Upstream;
  private queueName = '';

  private constructor(
    private readonly config: TandemConfig,
    private readonly o: { log: Logger; resultTimeoutMs: number; concurrency: number },
  ) {
    this.identify = createCustomerIdentifier(config.customer);
  }

  /** Start the runtime and wait until Redis, the queue and the worker are up. */
  static async start(config: TandemConfig, o: { log: Logger; concurrency: number; resultTimeoutMs?: number }): Promise<ReplaySession> {
    const s = new ReplaySession(config, { log: o.log, concurrency: o.concurrency, resultTimeoutMs: o.resultTimeoutMs ?? 120_000 });
    s.queueName = `${config.queue.name}-replay-${randomBytes(4).toString('hex')}`;
    const cfg: TandemConfig = { ...config, queue: { ...config.queue, name: s.queueName }, candidate: { ...config.candidate, maxInFlight: Math.max(config.candidate.maxInFlight, o.concurrency) } };
    s.rt = createRuntime(cfg, { worker: true, log: o.log, onResult: (ex, result) => s.waiting.get(ex.id)?.(result.class) });
    s.legacy = createUpstream(config.legacy.url, { timeoutMs: config.legacy.timeoutMs, maxBodyBytes: config.capture.maxBodyBytes, maxSockets: o.concurrency, host: config.legacy.host });
    await s.rt.ready;
    return s;
  }

  /** Why this request would not be replayed (`unmatched`, `legacy_phase`, `write`), or null. */
  skip(req: ReplayRequest): string | null {
    const found = findRoute(this.config.routes, req.method, req.path);
    return found ? skipReason(found.route, req.method) : 'unmatched';
  }

  /** Send one request to legacy and (translated) to the candidate, and wait for its comparison. */
  async replay(req: ReplayRequest): Promise<ReplayOutcome> {
    const found = findRoute(this.config.routes, req.method, req.path);
    const skip = found ? skipReason(found.route, req.method) : 'unmatched';
    if (!found || skip) return { kind: 'skipped', reason: skip ?? 'unmatched' };
    const { route, params } = found;
    const requestId = randomUUID();
    const at = Date.now();
    const headers = { ...req.headers, 'x-request-id': requestId, [REPLAY_HEADER]: '1' };
    const body = new BodyCapture(this.config.capture.maxBodyBytes);
    if (req.body?.length) body.push(req.body);
    const request = { method: req.method, path: req.path, query: req.query, headers, body: body.record() };
    const legacy = await sendRequest(this.legacy, request);
    if (!('response' in legacy)) return { kind: 'failed', route: route.name, reason: `legacy_${legacy.error.kind}` };
    const customer = this.identify({ method: req.method, path: req.path, headers, query: req.query, params }).customer;
    const draft: ExchangeDraft = { id: newExchangeId(at), route: route.name, customer, at, requestId, params, request, legacy: legacy.response, source: 'replay' };
    const result = new Promise<ResultClass | null>((done) => {
      const timer = setTimeout(() => done(null), this.o.resultTimeoutMs);
      this.waiting.set(draft.id, (cls) => (clearTimeout(timer), done(cls)));
    });
    // Seen as well, like a live request that reached its route: the overview keeps seen >= shadowed.
    this.rt.counters.add(route.name, 'seen');
    this.rt.counters.add(route.name, 'replayed');
    this.rt.shadow.dispatch(draft);
    const cls = await result;
    this.waiting.delete(draft.id);
    return cls ? { kind: 'compared', route: route.name, class: cls } : { kind: 'failed', route: route.name, reason: 'no_result' };
  }

  /** Stop the runtime (flushing counters) and remove the private queue's keys. */
  async close(): Promise<void> {
    const url = this.rt.redisUrl();
    await this.rt.close();
    this.legacy.agent.destroy();
    if (url) await deleteQueueKeys(url, this.config.redis.prefix, this.queueName).catch((e: Error) => this.o.log.warn({ err: e.message }, 'could not remove the replay queue'));
  }
}

async function deleteQueueKeys(url: string, prefix: string, queue: string): Promise<void> {
  const redis = openRedis(url, 'client');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${storeKeys(prefix).queuePrefix}:${queue}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
