import { mgetByTag, pipelineByTag } from './pipeline-by-tag';
import type { RedisClient } from './redis-connection';
import type { ExchangeRecord, ResultClass } from '../records';
import type { KeySchema } from './key-schema';
import type { MismatchRecord } from './record-types';
import { exchangesOfJson } from './exchanges-of-json';

/**
 * Which report index to read: stored mismatches (narrowed by signature, risk and/or
 * customer) or stored exchanges of another class (narrowed by customer).
 *
 * @example
 * const i: ResultIndex = { class: 'mismatch', risk: 'high' };
 */
export interface ResultIndex {
  class: ResultClass;
  signature?: string;
  risk?: string;
  customer?: string;
}

/**
 * A time range (epoch ms, inclusive) and a page of an index, newest first.
 *
 * @example
 * const r: IndexRange = { from: 0, to: Date.now(), offset: 0, limit: 50 };
 */
export interface IndexRange {
  from: number;
  to: number;
  offset: number;
  limit: number;
}

/**
 * A root cause's stored details: its JSON, first and last seen (ms), examples JSON, and
 * the estimated distinct customers.
 *
 * @example
 * const d: CauseDetails = { cause: '{"label":"price"}', first: 1, last: 2, examples: '[]', customers: 3 };
 */
export interface CauseDetails {
  cause: string | null;
  first: number;
  last: number;
  examples: string | null;
  customers: number;
}

/**
 * Everything the report (and rediff) read of the results, typed; the store is the
 * only implementation and the only code that knows key names. Readers take this
 * interface, not a Redis client.
 *
 * @example
 * async function overview(reader: ResultsReader) { return reader.counters(await reader.routeNames()); }
 */
export interface ResultsReader {
  /** Route names that have seen traffic, sorted. */
  routeNames(): Promise<string[]>;
  /** Counters of many routes in one round trip. */
  counters(routes: string[]): Promise<Record<string, Record<string, number>>>;
  /** Drops that happened before a route was known. */
  drops(): Promise<Record<string, number>>;
  /** Mismatch ids of a route, newest first. */
  mismatchIds(route: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }>;
  /** Stored mismatch records (with their duplicates count); expired ones are left out. */
  mismatches(ids: string[]): Promise<MismatchRecord[]>;
  mismatch(id: string): Promise<MismatchRecord | null>;
  /** Stored raw exchanges, one entry per id (null when expired). */
  exchanges(ids: string[]): Promise<(ExchangeRecord | null)[]>;
  /** Per field path: how often it differed, and how often it was noise. */
  fieldStats(route: string): Promise<{
    differs: Record<string, number>;
    noise: Record<string, number>;
    totals: { differs: Record<string, number>; noise: Record<string, number> };
  }>;
  /** Mismatch signatures of a route with count, risk, first and last seen, a sample id and the last few sample ids. */
  signatures(
    route: string,
  ): Promise<{ signature: string; count: number; risk: string; firstSeen: number; lastSeen: number; sample: string; samples: string[] }[]>;
  /** Ids in one report index (or the intersection of several) within the range, newest first, and how many the range holds. */
  indexPage(route: string, index: ResultIndex, range: IndexRange): Promise<{ total: number; ids: string[] }>;
  /** Remove ids whose record is gone from the indexes `index` reads. */
  forgetIds(route: string, index: ResultIndex, ids: string[]): Promise<void>;
  /** The newest `limit` stored mismatch ids of each signature, with their exchange time (ms). */
  signatureSamples(route: string, signatures: string[], limit: number): Promise<[string, number][]>;
  /** Per route, per epoch hour: the trend bucket (fields `<minute>|compared|mismatch|error`). */
  trendBuckets(routes: string[], hours: number[]): Promise<Record<string, string>[][]>;
  /** Per route: the per-customer counters (fields `<customer>|<counter>`). */
  customerCounters(routes: string[]): Promise<Record<string, string>[]>;
  /** Suspected volatile fields of a route: path -> count. */
  suspected(route: string): Promise<Record<string, number>>;
  /** Root causes of a route: cause key -> count. */
  causeCounts(route: string): Promise<Record<string, number>>;
  /** Details of some causes, and how many mismatches came past the cause cap. */
  causeDetails(route: string, causeKeys: string[]): Promise<{ overCap: number; details: CauseDetails[] }>;
}

/** How long an intersection of several indexes is reused for the next pages (s). */
const INTERSECTION_TTL_SECONDS = 20;

/**
 * The read queries behind `ResultsReader` that go beyond one command: report indexes
 * and their intersections, trends, customers, causes.
 *
 * @example
 * const q = resultQueries(redis, keySchema('tandem'));
 * await q.indexPage('product', { class: 'mismatch' }, { from: 0, to: Date.now(), offset: 0, limit: 50 });
 */
export function resultQueries(redis: RedisClient, k: KeySchema) {
  const indexParts = (route: string, f: ResultIndex): string[] => {
    const parts: string[] = [];
    if (f.class === 'mismatch') {
      if (f.signature !== undefined) parts.push(k.mismatchesBySignature(route, f.signature));
      if (f.risk) parts.push(k.mismatchesByRisk(route, f.risk));
      if (f.customer !== undefined) parts.push(k.mismatchesByCustomer(route, f.customer));
    } else {
      parts.push(k.exchangesByClass(route, f.class));
      if (f.customer !== undefined) parts.push(k.exchangesByCustomer(route, f.customer));
    }
    return parts;
  };
  /** One sorted set holding the index's ids: an index, or a short-lived intersection of several. */
  const indexKey = async (route: string, f: ResultIndex): Promise<string> => {
    const parts = indexParts(route, f);
    if (!parts.length) return k.mismatches(route);
    if (parts.length === 1) return parts[0];
    const tmp = k.intersection(route, parts);
    if (!(await redis.exists(tmp))) {
      await redis
        .multi()
        .zinterstore(tmp, parts.length, ...parts, 'AGGREGATE', 'MIN')
        .expire(tmp, INTERSECTION_TTL_SECONDS)
        .exec();
    }
    return tmp;
  };
  return {
    async exchanges(ids: string[]): Promise<(ExchangeRecord | null)[]> {
      if (!ids.length) return [];
      // parsed a few at a time, a turn of the event loop between (the report and rediff run on serve's proxy loop)
      return exchangesOfJson(
        await mgetByTag(
          redis,
          ids.map((id) => k.exchange(id)),
        ),
      );
    },
    async indexPage(route: string, f: ResultIndex, r: IndexRange): Promise<{ total: number; ids: string[] }> {
      const key = await indexKey(route, f);
      const [total, ids] = await Promise.all([
        redis.zcount(key, r.from, r.to),
        redis.zrevrangebyscore(key, r.to, r.from, 'LIMIT', r.offset, r.limit),
      ]);
      return { total, ids };
    },
    async forgetIds(route: string, f: ResultIndex, ids: string[]): Promise<void> {
      if (!ids.length) return;
      const parts = indexParts(route, f);
      const read = !parts.length ? k.mismatches(route) : parts.length === 1 ? parts[0] : k.intersection(route, parts);
      const pipe = redis.pipeline();
      for (const one of new Set([read, ...parts])) pipe.zrem(one, ...ids);
      await pipe.exec();
    },
    async signatureSamples(route: string, signatures: string[], limit: number): Promise<[string, number][]> {
      const pipe = redis.pipeline();
      for (const s of signatures) pipe.zrevrange(k.mismatchesBySignature(route, s), 0, limit - 1, 'WITHSCORES');
      const scored: [string, number][] = [];
      for (const [, reply] of (await pipe.exec()) ?? []) {
        const flat = (reply ?? []) as string[];
        for (let i = 0; i < flat.length; i += 2) scored.push([flat[i], Number(flat[i + 1])]);
      }
      return scored;
    },
    async trendBuckets(routes: string[], hours: number[]): Promise<Record<string, string>[][]> {
      const keys = routes.flatMap((r) => hours.map((h) => k.trend(r, h)));
      const replies = await pipelineByTag(
        redis,
        keys.map((key) => ({ key, add: (p) => p.hgetall(key) })),
      );
      return routes.map((_, ri) => hours.map((__, hi) => (replies[ri * hours.length + hi]?.[1] ?? {}) as Record<string, string>));
    },
    async customerCounters(routes: string[]): Promise<Record<string, string>[]> {
      const replies = await pipelineByTag(
        redis,
        routes.map((r) => ({ key: k.customers(r), add: (p) => p.hgetall(k.customers(r)) })),
      );
      return routes.map((_, i) => (replies[i]?.[1] ?? {}) as Record<string, string>);
    },
    async suspected(route: string): Promise<Record<string, number>> {
      return numbers(await redis.hgetall(k.suspected(route)));
    },
    async causeCounts(route: string): Promise<Record<string, number>> {
      return numbers(await redis.hgetall(k.causes(route)));
    },
    async causeDetails(route: string, causeKeys: string[]): Promise<{ overCap: number; details: CauseDetails[] }> {
      const pipe = redis.pipeline();
      pipe.hget(k.causeMeta(route), '|over_cap');
      for (const key of causeKeys) {
        pipe.hmget(k.causeMeta(route), `${key}|cause`, `${key}|first`, `${key}|last`, `${key}|examples`);
        pipe.pfcount(k.causeCustomers(route, key));
      }
      const replies = ((await pipe.exec()) ?? []).map(([, v]) => v);
      const details = causeKeys.map((_, i): CauseDetails => {
        const [cause, first, last, examples] = (replies[1 + i * 2] ?? []) as (string | null)[];
        return {
          cause: cause ?? null,
          first: Number(first ?? 0),
          last: Number(last ?? 0),
          examples: examples ?? null,
          customers: Number(replies[2 + i * 2] ?? 0),
        };
      });
      return { overCap: Number(replies[0] ?? 0), details };
    },
  };
}

/**
 * A hash of counts as numbers.
 *
 * @example
 * numbers({ a: '2' }); // { a: 2 }
 */
export function numbers(h: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Number(v);
  return out;
}
