import { PartialPipelineError, pipelineByTag, type TaggedCommand } from './pipeline-by-tag';
import type { RedisClient } from './redis-connection';
import { UnwrittenCounts } from './counter-buffer';
import type { ComparisonResult, ExchangeRecord } from '../records';
import { RecordCalls } from './record-call';
import { PackRecorder } from './pack-recorder';
import { keySchema, type KeyDeployment } from './key-schema';
import { MemoryBudget } from './memory-budget';
import { revokedSessions, type RevokedSessions } from './revoked-sessions';
import type { Retention, RecordOutcome, RecordSettled, RecordItem, RecordExtra } from './record-types';
import { StoredResults } from './stored-results';
import { MAX_RECORD_BYTES } from './record-cap';
import type { RecordOptions } from './record-documents';

/**
 * Writes comparison results (and reads them back: `StoredResults`). Plain records in and out; Redis only.
 *
 * @example
 * const store = new ResultsStore(redis, 'tandem', { mismatchesPerRoute: 1000, exchangesPerRoute: 1000, ttlSeconds: 86400 });
 * await store.record(exchange, result);
 */
export class ResultsStore extends StoredResults {
  /** Signed-out report sessions (shared by every instance). */
  readonly revokedSessions: RevokedSessions;
  /** The memory budget guard, when `retention.maxMemoryMb` is set. */
  readonly budget: MemoryBudget | null;
  /** Routes this store has added to the deployment's route list (once each per process). */
  private readonly listedRoutes = new Set<string>();
  /** Writes packs of results (`recordPack`). */
  private readonly packs: PackRecorder;

  /**
   * `o.stageFromChars`: exchange records of this many JSON characters or more are staged
   * rather than passed to the record script (default `STAGE_FROM_CHARS`; see `RecordCall.exchangeJson`).
   */
  constructor(
    redis: RedisClient,
    deployment: string | KeyDeployment,
    private readonly retention: Retention,
    o: { stageFromChars?: number } = {},
  ) {
    super(redis, keySchema(deployment));
    this.revokedSessions = revokedSessions(redis, this.keys);
    this.budget = retention.maxMemoryMb ? new MemoryBudget(redis, retention.maxMemoryMb * 1024 * 1024) : null;
    this.packs = new PackRecorder(redis, this.keys, retention, new RecordCalls(this.keys, retention, this.budget, o), (route) =>
      this.listRoute(route),
    );
  }

  /**
   * Record one result. Returns `'duplicate'` when this exchange id was already recorded,
   * `'new-signature'` when it is a mismatch whose signature the route had not seen,
   * else `'recorded'`. `fieldPaths` are the generalised paths that differed,
   * `noisePaths` those cancelled as noise. `opts.sampledOut`: counted in full but no exchange
   * record stored (see `RecordItem.sampledOut`).
   */
  async record(
    exchange: ExchangeRecord,
    result: ComparisonResult,
    extra: RecordExtra,
    opts: { rediff?: boolean; sampledOut?: boolean } = {},
  ): Promise<RecordOutcome> {
    const { sampledOut, ...packOpts } = opts;
    const [settled] = await this.recordPack([{ exchange, result, extra, ...(sampledOut ? { sampledOut } : {}) }], packOpts);
    if (settled.status === 'rejected') throw settled.reason;
    return settled.value;
  }

  /**
   * Record a pack of results, one script call per route among them (the calls go out
   * together: one round trip), each exchange as `record` would, in order within its
   * route. One settled outcome per item, in order: an exchange whose record Redis
   * failed (an error reply) rejects with `RecordFailed`, alone (its neighbours are
   * recorded); a call that fails otherwise (the connection) rejects its route's items
   * with that error (those already recorded stay recorded, once: a retry finds them `'duplicate'`).
   * When the pack's writes after its counts failed, its outcomes are fulfilled all the same
   * (what was counted) and carry `unfinished` (see `RecordSettled`).
   *
   * @example
   * const outcomes = await store.recordPack(outs.map((out, i) => ({ exchange: exchanges[i], result: out.result, extra: out })));
   */
  recordPack(items: readonly RecordItem[], opts: { rediff?: boolean } = {}): Promise<RecordSettled[]> {
    return this.packs.record(items, opts);
  }

  /**
   * What the documents of `exchange`'s record (`RecordDocuments`) are built for, by the
   * worker's record (not rediff's): its id as recorded, the record cap, `sampledOut`. A result
   * given documents built for other options has them built again (see `RecordExtra.prepared`).
   *
   * @example
   * const docs = recordDocuments(item, store.recordOptions(exchange, false)); // off the proxy's loop
   */
  recordOptions(exchange: Pick<ExchangeRecord, 'route' | 'id'>, sampledOut: boolean): RecordOptions {
    return {
      recordId: this.keys.recordId(exchange.route, exchange.id),
      cap: this.retention.maxRecordBytes ?? MAX_RECORD_BYTES,
      sampledOut,
    };
  }

  /**
   * Add to per-route counters written by the ingress (seen, shadowed, dropped:reason...),
   * and the routes to the route list. One transaction on a single Redis; on a cluster one
   * per hash tag (each route's counters together), see `pipelineByTag`. When only some
   * routes' transactions fail, throws `UnwrittenCounts` holding just those counts (the
   * others are written: counting them again would count them twice).
   */
  async addCounters(byRoute: Map<string, Map<string, number>>): Promise<void> {
    const commands: TaggedCommand[] = [];
    const counts: [route: string, field: string, n: number][] = [];
    for (const [route, fields] of byRoute) {
      if (route) {
        commands.push({ key: this.keys.routes, add: (p) => p.sadd(this.keys.routes, route) });
        counts.push([route, '', 0]);
      }
      const key = route ? this.keys.counters(route) : this.keys.drops;
      for (const [field, n] of fields) {
        commands.push({ key, add: (p) => p.hincrby(key, field, n) });
        counts.push([route, field, n]);
      }
    }
    try {
      await pipelineByTag(this.redis, commands, { atomic: true });
    } catch (e) {
      if (!(e instanceof PartialPipelineError)) throw e;
      const unwritten = new Map<string, Map<string, number>>();
      for (const i of e.failed) {
        const [route, field, n] = counts[i];
        if (field) (unwritten.get(route) ?? unwritten.set(route, new Map()).get(route)!).set(field, n);
      }
      throw new UnwrittenCounts(e.message, unwritten);
    }
  }

  /**
   * Count exchanges that will never be compared (a failed job's) under counter `field`
   * (e.g. `dropped:job_failed`), each at most once, whatever repeats the call: an exchange
   * already recorded (its done marker exists) is left out, and the others get their done
   * marker with their count, in script calls of at most 1000 exchanges of one route each
   * (`COUNT_ONCE_LUA`, `COUNT_ONCE_CHUNK`), each counting its own once. So a call
   * sent again after a lost reply or a refusal, and a later record of the same exchange,
   * count nothing twice. An entry of route '' counts in the deployment's drops hash, its
   * `id` naming it (e.g. `failed-job:<job id>:<i>`: not an exchange id, so under the
   * deployment's hash tag, as that hash is). Returns how many were counted now; rejects
   * when Redis fails (what earlier calls or chunks counted stays counted: call again).
   *
   * @example
   * await store.countOnce([{ route: 'product', id: exchange.id }], 'dropped:job_failed'); // 1, then 0
   */
  async countOnce(entries: readonly { route: string; id: string }[], field: string): Promise<number> {
    const byRoute = new Map<string, Set<string>>();
    for (const { route, id } of entries) (byRoute.get(route) ?? byRoute.set(route, new Set()).get(route)!).add(id);
    const ttl = String(this.retention.dedupeSeconds ?? this.retention.ttlSeconds);
    const counted = await Promise.all(
      [...byRoute].map(async ([route, ids]) => {
        if (route) await this.listRoute(route);
        const counter = route ? this.keys.counters(route) : this.keys.drops;
        const done = [...ids].map((id) => this.keys.done(route ? this.keys.recordId(route, id) : id));
        // Bounded calls (spreading 100k+ keys into one call overflows the stack, and one huge
        // script stalls Redis): each chunk counts once by its markers, so a chunk sent again
        // after a later one failed counts nothing twice.
        let n = 0;
        for (let i = 0; i < done.length; i += COUNT_ONCE_CHUNK) {
          const chunk = done.slice(i, i + COUNT_ONCE_CHUNK);
          n += Number(await this.redis.eval(COUNT_ONCE_LUA, 1 + chunk.length, counter, ...chunk, field, ttl));
        }
        return n;
      }),
    );
    return counted.reduce((a, b) => a + b, 0);
  }

  /** Add `route` to the deployment's route list, once per process (the record script lives in the route's slot, the list does not). */
  private async listRoute(route: string): Promise<void> {
    if (this.listedRoutes.has(route)) return;
    await this.redis.sadd(this.keys.routes, route);
    this.listedRoutes.add(route);
  }

  /** Rediff: add rebuilt noise evidence (repeated requests, per-path counts) to a route. */
  async addNoiseEvidence(route: string, repeats: number, differed: Map<string, number>): Promise<void> {
    const tx = this.redis.multi().hincrby(this.keys.counters(route), 'repeated', repeats);
    for (const [p, n] of differed) tx.hincrby(this.keys.repeatFields(route), p, n);
    await tx.exec();
  }

  /** Rediff: take the route's lock for `seconds` with `token`; false when another holds it. */
  async lockRediff(route: string, token: string, seconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.rediffLock(route), token, 'EX', seconds, 'NX')) === 'OK';
  }

  /** Rediff: release the route's lock if `token` still holds it. */
  async unlockRediff(route: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK_LUA, 1, this.keys.rediffLock(route), token);
  }
}

/** Done markers per `COUNT_ONCE_LUA` call (its keys are sent as one call's arguments). */
const COUNT_ONCE_CHUNK = 1000;

/**
 * KEYS[1]: a counter hash; KEYS[2..]: done markers. ARGV[1]: the counter's field, ARGV[2]:
 * the markers' TTL in seconds. Adds to the field one per marker that does not exist, then
 * sets those markers: the count first, so an error (a hash of another type, Redis over
 * maxmemory) leaves nothing written. Returns how many it counted.
 */
const COUNT_ONCE_LUA = `local n, fresh = 0, {}
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then n = n + 1; fresh[n] = KEYS[i] end
end
if n > 0 then redis.call('HINCRBY', KEYS[1], ARGV[1], n) end
for _, key in ipairs(fresh) do redis.call('SET', key, '1', 'EX', ARGV[2]) end
return n`;

/** KEYS[1]: a lock. ARGV[1]: the token that took it. Deletes the lock only if the token still holds it. */
const RELEASE_LOCK_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
