import { mgetByTag, pipelineByTag } from './pipeline-by-tag';
import type { RedisClient } from './redis-connection';
import type { ExchangeRecord } from '../records';
import type { KeySchema } from './key-schema';
import { exchangeOfJson, mismatchOfJson } from './exchange-json';
import { withDuplicates } from './duplicates';
import type { MismatchRecord } from './record-types';
import { numbers, resultQueries, type CauseDetails, type IndexRange, type ResultIndex, type ResultsReader } from './results-reader';

/**
 * The read side of the results store: counters, stored exchanges and mismatches, field and
 * signature statistics, index pages, trends and causes of one deployment's keys. Plain
 * records out; Redis only. `ResultsStore` adds the writes.
 *
 * @example
 * const reads = new StoredResults(redis, keySchema('tandem'));
 * const { product } = await reads.counters(['product']); // { compared: 12, match: 11, ... }
 */
export class StoredResults implements ResultsReader {
  private readonly q: ReturnType<typeof resultQueries>;

  constructor(
    readonly redis: RedisClient,
    readonly keys: KeySchema,
  ) {
    this.q = resultQueries(redis, keys);
  }

  /** Route names that have seen traffic. */
  async routeNames(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.routes)).sort();
  }

  /** Counters of many routes in one round trip. */
  async counters(routes: string[]): Promise<Record<string, Record<string, number>>> {
    const replies = await pipelineByTag(
      this.redis,
      routes.map((r) => ({ key: this.keys.counters(r), add: (p) => p.hgetall(this.keys.counters(r)) })),
    );
    const out: Record<string, Record<string, number>> = {};
    routes.forEach((r, i) => (out[r] = numbers((replies[i]?.[1] ?? {}) as Record<string, string>)));
    return out;
  }

  /** Drops that happened before a route was known (e.g. the ingress buffer overflowed). */
  async drops(): Promise<Record<string, number>> {
    return numbers(await this.redis.hgetall(this.keys.drops));
  }

  /** The newest `limit` stored exchange ids of a route, newest first. */
  exchangeIds(route: string, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.exchanges(route), 0, limit - 1);
  }

  /** Mismatch ids of a route, newest first. */
  async mismatchIds(route: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.redis.zrevrange(this.keys.mismatches(route), offset, offset + limit - 1),
      this.redis.zcard(this.keys.mismatches(route)),
    ]);
    return { ids, total };
  }

  async mismatches(ids: string[]): Promise<MismatchRecord[]> {
    if (!ids.length) return [];
    const raw = await mgetByTag(
      this.redis,
      ids.map((id) => this.keys.mismatch(id)),
    );
    const records = raw.filter((s): s is string => s !== null).map(mismatchOfJson);
    return withDuplicates(this.redis, this.keys, records);
  }

  async mismatch(id: string): Promise<MismatchRecord | null> {
    const [rec] = await this.mismatches([id]);
    return rec ?? null;
  }

  /**
   * One stored exchange by id, for replaying it: from its mismatch record when it has one
   * (returned too), else from its exchange record (kept for every class). Null when
   * expired or unknown. Stored body references are resolved (see `exchangeOfJson`).
   *
   * @example
   * const stored = await store.storedExchange(id); // { exchange, mismatch: MismatchRecord | null } | null
   */
  async storedExchange(id: string): Promise<{ exchange: ExchangeRecord; mismatch: MismatchRecord | null } | null> {
    const [mismatch, exchange] = await this.redis.mget(this.keys.mismatch(id), this.keys.exchange(id));
    if (mismatch !== null) {
      const m = mismatchOfJson(mismatch);
      return { exchange: m.exchange, mismatch: m };
    }
    return exchange === null ? null : { exchange: exchangeOfJson(exchange), mismatch: null };
  }

  /**
   * Per field path: in how many comparisons it differed, and was noise; and `totals`: in
   * how many it or anything below it did (fields `d|<path>` and `n|<path>` of `fieldTotals`).
   */
  async fieldStats(route: string): Promise<{
    differs: Record<string, number>;
    noise: Record<string, number>;
    totals: { differs: Record<string, number>; noise: Record<string, number> };
  }> {
    const [differs, noise, totals] = await Promise.all([
      this.redis.hgetall(this.keys.fields(route)),
      this.redis.hgetall(this.keys.noiseFields(route)),
      this.redis.hgetall(this.keys.fieldTotals(route)),
    ]);
    const t = { differs: {} as Record<string, number>, noise: {} as Record<string, number> };
    for (const [k, v] of Object.entries(totals)) (k.startsWith('d|') ? t.differs : t.noise)[k.slice(2)] = Number(v);
    return { differs: numbers(differs), noise: numbers(noise), totals: t };
  }

  /** Mismatch signatures of a route with count, risk, first and last seen, a sample id and the last few sample ids. */
  async signatures(
    route: string,
  ): Promise<{ signature: string; count: number; risk: string; firstSeen: number; lastSeen: number; sample: string; samples: string[] }[]> {
    const [counts, meta] = await Promise.all([
      this.redis.hgetall(this.keys.signatures(route)),
      this.redis.hgetall(this.keys.signatureMeta(route)),
    ]);
    return Object.entries(counts)
      .map(([signature, n]) => ({
        signature,
        count: Number(n),
        risk: meta[`${signature}|risk`] ?? '',
        firstSeen: Number(meta[`${signature}|first`] ?? 0),
        lastSeen: Number(meta[`${signature}|last`] ?? 0),
        sample: meta[`${signature}|sample`] ?? '',
        samples: JSON.parse(meta[`${signature}|samples`] ?? '[]') as string[],
      }))
      .sort((a, b) => b.count - a.count);
  }

  exchanges(ids: string[]): Promise<(ExchangeRecord | null)[]> {
    return this.q.exchanges(ids);
  }

  indexPage(route: string, index: ResultIndex, range: IndexRange): Promise<{ total: number; ids: string[] }> {
    return this.q.indexPage(route, index, range);
  }

  forgetIds(route: string, index: ResultIndex, ids: string[]): Promise<void> {
    return this.q.forgetIds(route, index, ids);
  }

  signatureSamples(route: string, signatures: string[], limit: number): Promise<[string, number][]> {
    return this.q.signatureSamples(route, signatures, limit);
  }

  trendBuckets(routes: string[], hours: number[]): Promise<Record<string, string>[][]> {
    return this.q.trendBuckets(routes, hours);
  }

  customerCounters(routes: string[]): Promise<Record<string, string>[]> {
    return this.q.customerCounters(routes);
  }

  suspected(route: string): Promise<Record<string, number>> {
    return this.q.suspected(route);
  }

  causeCounts(route: string): Promise<Record<string, number>> {
    return this.q.causeCounts(route);
  }

  causeDetails(route: string, causeKeys: string[]): Promise<{ overCap: number; details: CauseDetails[] }> {
    return this.q.causeDetails(route, causeKeys);
  }
}
