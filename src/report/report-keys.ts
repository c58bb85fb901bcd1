import { createHash } from 'node:crypto';
import type { StoreKeys } from '../store';

/**
 * Names of the keys the record script's report section writes (see
 * `src/store/report-index-script.ts`); every one is under the store's hash-tagged prefix.
 *
 * @example
 * const k = reportKeys(store.keys);
 * k.mismatchesByRisk('product', 'high'); // '{tandem}:route:product:mm-by:risk:high'
 */
export function reportKeys(keys: Pick<StoreKeys, 'prefix'>) {
  const rk = (route: string) => `${keys.prefix}route:${route}:`;
  return {
    mismatchesBySignature: (route: string, signature: string) => `${rk(route)}mm-by:sig:${sha1(signature)}`,
    mismatchesByRisk: (route: string, risk: string) => `${rk(route)}mm-by:risk:${risk}`,
    mismatchesByCustomer: (route: string, customer: string) => `${rk(route)}mm-by:customer:${customer}`,
    exchangesByClass: (route: string, cls: string) => `${rk(route)}ex-by:class:${cls}`,
    exchangesByCustomer: (route: string, customer: string) => `${rk(route)}ex-by:customer:${customer}`,
    /** Per-minute buckets of one epoch hour. */
    trend: (route: string, hour: number) => `${rk(route)}trend:${hour}`,
    /** Root causes (see `src/store/cause-script.ts`): counts, meta, customers per cause. */
    causes: (route: string) => `${rk(route)}causes`,
    causeMeta: (route: string) => `${rk(route)}cause-meta`,
    causeCustomers: (route: string, key: string) => `${rk(route)}cause-cust:${sha1(key)}`,
    /** A short-lived intersection of several indexes. */
    intersection: (parts: string[]) => `${keys.prefix}report-tmp:${sha1(parts.join('\n'))}`,
  };
}

/**
 * The key builders `reportKeys` returns.
 *
 * @example
 * const k: ReportKeys = reportKeys(store.keys);
 */
export type ReportKeys = ReturnType<typeof reportKeys>;

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
