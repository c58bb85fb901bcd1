import type { ExchangeRecord, ResultClass } from '../records';
import type { MismatchRecord, ResultsStore } from '../store';
import type { ResultFilter } from './filters';
import { summarise, summariseExchange, type MismatchSummary } from './queries';
import { reportKeys } from './report-keys';

/**
 * One page of a filtered list. `total` counts index entries in the time range (records trimmed since are removed as they are met).
 *
 * @example
 * const { total, items }: ResultPage = await listResults(store, 'product', filter);
 */
export interface ResultPage {
  total: number;
  offset: number;
  limit: number;
  items: MismatchSummary[];
}

/** How long an intersection of several indexes is reused for the next pages. */
const INTERSECTION_TTL_SECONDS = 20;

/**
 * One page of a route's stored results, newest first, narrowed by the filter. It reads
 * one index (or a short-lived Redis-side intersection of several) by score range and
 * fetches only the page's records; ids whose record has expired are removed lazily.
 *
 * @example
 * const page = await listResults(store, 'product', parseResultFilter({ risk: 'high' }, Date.now()));
 */
export async function listResults(store: ResultsStore, route: string, f: ResultFilter): Promise<ResultPage> {
  const key = await indexFor(store, route, f);
  const redis = store.redis;
  const [total, ids] = await Promise.all([
    redis.zcount(key, f.from, f.to),
    redis.zrevrangebyscore(key, f.to, f.from, 'LIMIT', f.offset, f.limit),
  ]);
  const { found, missing } = await fetchRecords(store, f.class, ids);
  if (missing.length) await forget(store, route, f, key, missing);
  const items = found.filter((m) => fits(m, f));
  return { total: Math.max(0, total - missing.length - (found.length - items.length)), offset: f.offset, limit: f.limit, items };
}

/**
 * A stored result in full: a mismatch record, or a raw exchange of another class.
 *
 * @example
 * for await (const r of eachResult(store, 'product', filter)) console.log(r.class, r.exchange.id);
 */
export interface StoredResult {
  class: ResultClass;
  exchange: ExchangeRecord;
  /** Set for mismatches. */
  result?: MismatchRecord['result'];
  translatedCandidate?: MismatchRecord['translatedCandidate'];
  /**
   * Set for mismatches: identical exchange pairs counted but not stored again (0 for
   * none). Each stored mismatch stands for `1 + duplicates` of the `mismatch` counter.
   */
  duplicates?: number;
}

/**
 * Every result matching the filter (ignoring its offset and limit), newest first, read
 * `batch` records at a time: for exports, without holding them all at once.
 *
 * @example
 * for await (const rec of eachResult(store, 'product', filter)) write(rec);
 */
export async function* eachResult(store: ResultsStore, route: string, f: ResultFilter, batch = 200): AsyncGenerator<StoredResult> {
  const key = await indexFor(store, route, f);
  const mismatch = f.class === 'mismatch';
  let offset = 0;
  for (;;) {
    const ids = await store.redis.zrevrangebyscore(key, f.to, f.from, 'LIMIT', offset, batch);
    if (!ids.length) return;
    offset += ids.length;
    if (mismatch) {
      // with their duplicates, so an export reconciles with the `mismatch` counter
      for (const m of await store.mismatches(ids)) {
        if (!fits(summarise(m), f)) continue;
        yield { class: 'mismatch', exchange: m.exchange, result: m.result, translatedCandidate: m.translatedCandidate, duplicates: m.duplicates ?? 0 };
      }
      continue;
    }
    for (const s of await store.redis.mget(ids.map((id) => store.keys.exchange(id)))) if (s !== null) yield { class: f.class, exchange: JSON.parse(s) as ExchangeRecord };
  }
}

/** The indexes whose intersection holds the filter's ids (time aside); empty for "all mismatches". */
function indexParts(store: ResultsStore, route: string, f: ResultFilter): string[] {
  const k = reportKeys(store.keys);
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
}

/** One sorted set holding the filter's ids: an index, or a short-lived intersection of several. */
async function indexFor(store: ResultsStore, route: string, f: ResultFilter): Promise<string> {
  const parts = indexParts(store, route, f);
  if (!parts.length) return store.keys.mismatches(route);
  if (parts.length === 1) return parts[0];
  const tmp = reportKeys(store.keys).intersection(parts);
  if (!(await store.redis.exists(tmp))) {
    await store.redis.multi().zinterstore(tmp, parts.length, ...parts, 'AGGREGATE', 'MIN').expire(tmp, INTERSECTION_TTL_SECONDS).exec();
  }
  return tmp;
}

async function fetchRecords(store: ResultsStore, cls: ResultFilter['class'], ids: string[]): Promise<{ found: MismatchSummary[]; missing: string[] }> {
  if (!ids.length) return { found: [], missing: [] };
  if (cls === 'mismatch') {
    const records = await store.mismatches(ids);
    const have = new Set(records.map((m) => m.exchange.id));
    return { found: records.map(summarise), missing: ids.filter((id) => !have.has(id)) };
  }
  const raw = await store.redis.mget(ids.map((id) => store.keys.exchange(id)));
  const found: MismatchSummary[] = [];
  const missing: string[] = [];
  raw.forEach((s, i) => (s === null ? missing.push(ids[i]) : found.push(summariseExchange(JSON.parse(s) as ExchangeRecord, cls))));
  return { found, missing };
}

/** Whether a record still fits the filter (an index entry can outlive a change of its record). */
function fits(m: MismatchSummary, f: ResultFilter): boolean {
  return (f.customer === undefined || m.customer === f.customer) && (f.signature === undefined || m.signature === f.signature) && (!f.risk || m.risk === f.risk);
}

/** Remove ids whose record is gone from the index read and the indexes it came from. */
async function forget(store: ResultsStore, route: string, f: ResultFilter, key: string, ids: string[]): Promise<void> {
  const pipe = store.redis.pipeline();
  for (const one of new Set([key, ...indexParts(store, route, f)])) pipe.zrem(one, ...ids);
  await pipe.exec();
}
