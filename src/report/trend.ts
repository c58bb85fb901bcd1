import type { ResultsReader } from '../store';

/**
 * Per-minute compared, mismatch and error counts over a window ending now, oldest first.
 *
 * @example
 * const t: Trend = (await readTrends(store, ['product'], 60, Date.now())).product;
 */
export interface Trend {
  /** Epoch ms of the first bucket's minute. */
  start: number;
  stepMs: number;
  compared: number[];
  mismatch: number[];
  /** Error classes (candidate_error, translation_error, unparseable, too_large) per minute. */
  error: number[];
}

/**
 * The longest window the buckets are kept for (the record script expires them after 25 hours).
 *
 * @example
 * readTrends(store, routes, Math.min(minutes, MAX_TREND_MINUTES), Date.now());
 */
export const MAX_TREND_MINUTES = 24 * 60;

/**
 * Per-minute trend of several routes in one round trip.
 *
 * @example
 * const trends = await readTrends(store, ['product'], 60, Date.now());
 * trends.product.compared.length; // 60
 */
export async function readTrends(store: ResultsReader, routes: string[], minutes: number, now: number): Promise<Record<string, Trend>> {
  const last = Math.floor(now / 60_000);
  const first = last - minutes + 1;
  const hours: number[] = [];
  for (let h = Math.floor(first / 60); h <= Math.floor(last / 60); h++) hours.push(h);
  const buckets = await store.trendBuckets(routes, hours);
  const out: Record<string, Trend> = {};
  routes.forEach((r, ri) => {
    const t: Trend = {
      start: first * 60_000,
      stepMs: 60_000,
      compared: new Array<number>(minutes).fill(0),
      mismatch: new Array<number>(minutes).fill(0),
      error: new Array<number>(minutes).fill(0),
    };
    hours.forEach((_, hi) => {
      const hash = buckets[ri][hi];
      for (const [field, n] of Object.entries(hash)) {
        const [minute, what] = field.split('|');
        const i = Number(minute) - first;
        if (i < 0 || i >= minutes) continue;
        if (what === 'compared') t.compared[i] = Number(n);
        else if (what === 'mismatch') t.mismatch[i] = Number(n);
        else if (what === 'error') t.error[i] = Number(n);
      }
    });
    out[r] = t;
  });
  return out;
}
