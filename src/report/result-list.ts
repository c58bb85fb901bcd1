import type { ExchangeRecord, ResultClass } from '../records';
import type { MismatchRecord, ResultsReader } from '../store';
import type { ResultFilter } from './filters';
import { summarise, summariseExchange, type MismatchSummary } from './queries';

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

/**
 * One page of a route's stored results, newest first, narrowed by the filter. It reads
 * one index (or a short-lived Redis-side intersection of several) by score range and
 * fetches only the page's records; ids whose record has expired are removed lazily.
 *
 * @example
 * const page = await listResults(store, 'product', parseResultFilter({ risk: 'high' }, Date.now()));
 */
export async function listResults(store: ResultsReader, route: string, f: ResultFilter): Promise<ResultPage> {
  const { total, ids } = await store.indexPage(route, f, f);
  const { found, missing } = await fetchRecords(store, f.class, ids);
  if (missing.length) await store.forgetIds(route, f, missing);
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
 * `batch` records at a time: for exports, without holding them all at once. Each once: a
 * result recorded while the export runs (the worker does not stop) moves the ones below it
 * one place down, so a batch read by offset can begin with ids an earlier batch gave; those
 * are skipped (the ids given are kept, at most the route's retention). Results recorded
 * meanwhile are listed when they land below the read position, else not.
 *
 * @example
 * for await (const rec of eachResult(store, 'product', filter)) write(rec);
 */
export async function* eachResult(store: ResultsReader, route: string, f: ResultFilter, batch = 200): AsyncGenerator<StoredResult> {
  let offset = 0;
  const given = new Set<string>();
  for (;;) {
    const page = await store.indexPage(route, f, { from: f.from, to: f.to, offset, limit: batch });
    if (!page.ids.length) return;
    offset += page.ids.length;
    const ids = page.ids.filter((id) => !given.has(id) && given.add(id));
    if (!ids.length) continue;
    if (f.class !== 'mismatch') {
      for (const ex of await store.exchanges(ids)) if (ex) yield { class: f.class, exchange: ex };
      continue;
    }
    // with their duplicates, so an export reconciles with the `mismatch` counter
    for (const m of await store.mismatches(ids)) {
      if (!fits(summarise(m), f)) continue;
      yield {
        class: 'mismatch',
        exchange: m.exchange,
        result: m.result,
        translatedCandidate: m.translatedCandidate,
        duplicates: m.duplicates ?? 0,
      };
    }
  }
}

async function fetchRecords(
  store: ResultsReader,
  cls: ResultFilter['class'],
  ids: string[],
): Promise<{ found: MismatchSummary[]; missing: string[] }> {
  if (!ids.length) return { found: [], missing: [] };
  if (cls === 'mismatch') {
    const records = await store.mismatches(ids);
    const have = new Set(records.map((m) => m.exchange.id));
    return { found: records.map(summarise), missing: ids.filter((id) => !have.has(id)) };
  }
  const found: MismatchSummary[] = [];
  const missing: string[] = [];
  (await store.exchanges(ids)).forEach((ex, i) => (ex === null ? missing.push(ids[i]) : found.push(summariseExchange(ex, cls))));
  return { found, missing };
}

/** Whether a record still fits the filter (an index entry can outlive a change of its record). */
function fits(m: MismatchSummary, f: ResultFilter): boolean {
  return (
    (f.customer === undefined || m.customer === f.customer) &&
    (f.signature === undefined || m.signature === f.signature) &&
    (!f.risk || m.risk === f.risk)
  );
}
