import { randomBytes } from 'node:crypto';
import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ResultClass } from '../records';
import { createCustomerIdentifier } from '../rollout';
import { createRuntime, createUpstreamFor, type Runtime } from '../runtime';
import { closeUpstream, type Upstream } from '../upstream';
import { openRedis, scanKeys, storeKeys, watchRedis, type RedisLost, type RedisTarget, type RedisWatch } from '../store';
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
  /** Exchanges dispatched and not compared yet, by id: called with their class, or null when Redis was lost. */
  private readonly waiting = new Map<string, (cls: ResultClass | null) => void>();
  private watch: RedisWatch | null = null;
  private lost: RedisLost | null = null;
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
    // A Redis gone mid-run delivers no result: waiting out each one's timeout would hold the run for minutes.
    s.watch = watchRedis(s.rt.redisTarget()!, { onLost: (lost) => s.redisGone(lost) });
    return s;
  }

  /** The Redis that stopped answering during the run (see `watchRedis`), or null while it answers. */
  redisLost(): RedisLost | null {
    return this.lost;
  }

  /** Redis stopped answering: every result still awaited ends now as `redis_lost`, and so does every request after. */
  private redisGone(lost: RedisLost): void {
    this.lost = lost;
    this.o.log.warn({ redis: lost.redis, err: lost.reason, waiting: this.waiting.size }, 'redis stopped answering during the replay');
    for (const done of [...this.waiting.values()]) done(null);
  }

  /** Why this request would not be replayed (`unmatched`, `legacy_phase`, `write`), or null. */
  skip(req: ReplayRequest): string | null {
    return skipOf(this.config.routes, req);
  }

  /**
   * Send one request to legacy and (translated) to the candidate, and wait for its comparison.
   * Once Redis is lost (`redisLost`) nothing more is sent, and a request whose result was
   * still awaited then ends `failed` with reason `redis_lost`.
   */
  async replay(req: ReplayRequest): Promise<ReplayOutcome> {
    const p = prepareRequest(req, {
      routes: this.config.routes,
      identify: this.identify,
      maxBodyBytes: this.config.capture.maxBodyBytes,
      mark: REPLAY_HEADER,
    });
    if ('skip' in p) return { kind: 'skipped', reason: p.skip };
    const route = p.route;
    if (this.lost) return { kind: 'failed', route: route.name, reason: 'redis_lost' };
    const out = await callLegacyFor(this.legacy, p, 'replay');
    if ('failed' in out) return { kind: 'failed', route: route.name, reason: out.failed };
    if (this.lost) return { kind: 'failed', route: route.name, reason: 'redis_lost' };
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
    if (cls) return { kind: 'compared', route: route.name, class: cls };
    return { kind: 'failed', route: route.name, reason: this.lost ? 'redis_lost' : 'no_result' };
  }

  /** Stop the runtime (flushing counters) and remove the private queue's keys (left in a Redis that was lost). */
  async close(): Promise<void> {
    this.watch?.stop();
    const target = this.rt.redisTarget();
    await this.rt.close();
    closeUpstream(this.legacy);
    if (this.lost) this.o.log.warn({ queue: this.queueName }, 'the replay queue is left in the Redis that was lost');
    else if (target)
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
