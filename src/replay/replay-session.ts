import { randomBytes } from 'node:crypto';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ResultClass } from '../records';
import { createCustomerIdentifier } from '../rollout';
import { createRuntime, createUpstreamFor, type Runtime } from '../runtime';
import { closeUpstream, type Upstream } from '../upstream';
import { openRedis, scanKeys, storeKeys, type RedisTarget } from '../store';
import { callLegacyFor, prepareRequest, skipOf } from './prepare-request';
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
    const cfg: TandemConfig = {
      ...config,
      queue: { ...config.queue, name: s.queueName },
      candidate: { ...config.candidate, maxInFlight: Math.max(config.candidate.maxInFlight, o.concurrency) },
    };
    s.rt = createRuntime(cfg, { worker: true, log: o.log, onResult: (ex, result) => s.waiting.get(ex.id)?.(result.class) });
    s.legacy = createUpstreamFor(config, 'legacy', o.concurrency);
    await s.rt.ready;
    return s;
  }

  /** Why this request would not be replayed (`unmatched`, `legacy_phase`, `write`), or null. */
  skip(req: ReplayRequest): string | null {
    return skipOf(this.config.routes, req);
  }

  /** Send one request to legacy and (translated) to the candidate, and wait for its comparison. */
  async replay(req: ReplayRequest): Promise<ReplayOutcome> {
    const p = prepareRequest(req, {
      routes: this.config.routes,
      identify: this.identify,
      maxBodyBytes: this.config.capture.maxBodyBytes,
      mark: REPLAY_HEADER,
    });
    if ('skip' in p) return { kind: 'skipped', reason: p.skip };
    const route = p.route;
    const out = await callLegacyFor(this.legacy, p, 'replay');
    if ('failed' in out) return { kind: 'failed', route: route.name, reason: out.failed };
    const draft = out.draft;
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
    const target = this.rt.redisTarget();
    await this.rt.close();
    closeUpstream(this.legacy);
    if (target)
      await deleteQueueKeys(target, this.config.redis.prefix, this.queueName, this.config.queue.partitions).catch((e: Error) =>
        this.o.log.warn({ err: e.message }, 'could not remove the replay queue'),
      );
  }
}

/** Delete every key of the private queue `queue`, in each of its `partitions` partitions (its partition mark is among partition 0's). */
async function deleteQueueKeys(target: RedisTarget, prefix: string, queue: string, partitions: number): Promise<void> {
  const redis = openRedis(target, 'client');
  try {
    for (let p = 0; p < partitions; p++) {
      const keys = await scanKeys(redis, storeKeys(prefix).queuePattern(queue, p), 500);
      // One partition's keys share its hash tag: one slot, so one DEL per batch is legal on a cluster too.
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
