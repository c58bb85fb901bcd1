import type { ComparisonResult, ExchangeRecord } from '../records';
import type { RecordDocuments } from './record-documents';

/** Retention limits the store enforces on every write. */
export interface Retention {
  mismatchesPerRoute: number;
  exchangesPerRoute: number;
  ttlSeconds: number;
  /** Seconds the per-exchange "recorded" marker lives (default `ttlSeconds`). */
  dedupeSeconds?: number;
  /** Redis memory budget in MB; from 80% of it results are counted but not stored in full. */
  maxMemoryMb?: number;
  /** Outcomes kept per route and customer for the rollout readiness guard (default 200; 0: off). */
  readinessWindow?: number;
  /**
   * Distinct customers per route with per-customer state of their own (default
   * `DEFAULT_CUSTOMERS_PER_ROUTE`); results of further customers count under `OVERFLOW_CUSTOMER`.
   */
  customersPerRoute?: number;
  /** Bytes of one stored record at most (default 2 MB): over it, bodies and long values are left out (see `fitRecord`). */
  maxRecordBytes?: number;
}

/** Distinct customers per route kept apart when `retention.customersPerRoute` is not set. */
export const DEFAULT_CUSTOMERS_PER_ROUTE = 1000;

/**
 * The customer that results of customers past a route's cap (or first seen over the
 * memory budget) are counted under; the counter `customer_overflow` counts them.
 *
 * @example
 * (await customerRows(store, ['product'], { customer: OVERFLOW_CUSTOMER, offset: 0, limit: 1 })).items[0].compared;
 */
export const OVERFLOW_CUSTOMER = '(other)';

/** What the record script receives (one JSON argument; add fields for new sections). */
export interface RecordPayload {
  ttl: number;
  route: string;
  class: string;
  customer: string;
  /** `customer` as a key segment, and the overflow bucket's name and segment (see record-result-script.ts). */
  customerSeg: string;
  overflow: string;
  overflowSeg: string;
  /** Distinct customers with their own per-customer state on the route. */
  customerCap: number;
  at: number;
  id: string;
  fields: string[];
  noise: string[];
  /** Every prefix of `fields` (resp. `noise`), each once: the field tree's per-node totals. */
  fieldTotals: string[];
  noiseTotals: string[];
  exchangeJson: string;
  exchangeCap: number;
  mismatchJson: string;
  mismatchCap: number;
  signature: string;
  risk: string;
  /** TTL of the done marker. */
  doneTtl: number;
  /** Over the memory budget: count, but store no exchange or mismatch record. */
  overBudget: boolean;
  /** Sampled out (`RecordItem.sampledOut`): count, store the mismatch record, but no exchange record. */
  sampledOut: boolean;
  /**
   * A sampled-out mismatch sent by its `contentHash` alone, without its exchange and mismatch JSON
   * (see `RecordCall.hashOnly`): recorded only as a duplicate of a stored identical pair.
   */
  hashOnly?: boolean;
  /** Readiness window N (rollout); see readiness-window-script.ts. */
  readinessWindow: number;
  /** Noise learning and suspected fields, mismatch dedupe, rediff: see noise-dedupe-script.ts. */
  repeated: boolean;
  repeatFields: string[];
  suspected: string[];
  contentHash: string;
  rediff: boolean;
  /** Root causes of a mismatch's differences (see cause-script.ts), JSON texts. */
  causes?: { key: string; json: string; example: string }[];
  /** Distinct causes kept per route. */
  causeCap?: number;
}

/** What recording a result did: see `ResultsStore.record`. */
export type RecordOutcome = 'duplicate' | 'recorded' | 'new-signature';

/**
 * One exchange's settled record (see `ResultsStore.recordPack`). A fulfilled one was
 * counted as `value` says; `unfinished` is set (the error's text) when its pack's writes
 * after the counts failed (a report index or list of another type): counted and marked
 * done, but missing from what failed. A rejected one was not counted.
 *
 * @example
 * if (s.status === 'fulfilled' && s.unfinished) log.warn({ err: s.unfinished }, 'recorded, report writes failed');
 */
export type RecordSettled = (PromiseFulfilledResult<RecordOutcome> & { unfinished?: string }) | PromiseRejectedResult;

/** One result to record (see `ResultsStore.recordPack`): the exchange as stored, its result and what the worker derived. */
export interface RecordItem {
  exchange: ExchangeRecord;
  result: ComparisonResult;
  extra: RecordExtra;
  /**
   * The worker's sampler gave the exchange no token (see `retention.exchangesPerSecond`): it is
   * counted and recorded in full (counters, fields, signatures, causes, its mismatch record)
   * except its raw exchange record (`exchange:<id>`), neither written nor indexed; counted in
   * the route's counter `not_stored:sampled`. Ignored by rediff, which writes no exchange record.
   */
  sampledOut?: boolean;
}

/** Distinct root causes kept per route (a new one beyond is counted as over the cap). */
export const MAX_CAUSES_PER_ROUTE = 500;

/**
 * The cause of a difference as the report aggregates it: path pattern, kind and value
 * transformation under a stable `key`, a `label` for people, and one example difference.
 *
 * @example
 * const c: CauseRecord = { key: 'price|type_changed|same_value_retyped:string to number', pattern: 'price', kind: 'type_changed',
 *   transform: 'same_value_retyped', detail: 'string to number', label: 'price: string to number, same value',
 *   example: { path: 'price', legacy: '12.50', candidate: 12.5 } };
 */
export interface CauseRecord {
  key: string;
  pattern: string;
  kind: string;
  transform: string;
  detail?: string;
  label: string;
  example: { path: string; legacy?: unknown; candidate?: unknown };
}

/**
 * What the worker derived beside the result (see ProcessedExchange): generalised paths
 * that differed, were noise, were suspected noise, and legacy-vs-legacy differences of
 * a repeated request (set only when the exchange had a comparable repeat).
 *
 * @example
 * const extra: RecordExtra = { fieldPaths: ['price'], noisePaths: ['ts'], suspectedPaths: [], repeatPaths: ['ts'] };
 */
export interface RecordExtra {
  /** Generalised paths that differed in a mismatch (none for any other class: the field tree counts mismatches). */
  fieldPaths: string[];
  noisePaths: string[];
  /** Generalised paths flagged as suspected noise (volatile-looking values that still count). */
  suspectedPaths?: string[];
  /** Set when the exchange had a comparable legacy repeat: generalised paths where legacy differed from itself (noise learning). */
  repeatPaths?: string[];
  translatedCandidate?: MismatchRecord['translatedCandidate'];
  /** The distinct causes of a mismatch's differences (one entry each), for the report's root-cause view. */
  causes?: CauseRecord[];
  /**
   * The record's documents, already built where the comparison ran (a comparison thread: see
   * `RecordDocuments`); the store builds them itself without (or when they were built for other
   * record options). With them, `translatedCandidate` is not read (a comparison thread leaves it out).
   */
  prepared?: RecordDocuments;
}

/** A stored mismatch: the (redacted) exchange and what the worker found. */
export interface MismatchRecord {
  exchange: ExchangeRecord;
  result: ComparisonResult;
  /** The candidate response after response translation, as compared. */
  translatedCandidate?: { status: number; headers: Record<string, unknown>; body: unknown };
  /** How many identical exchange pairs (same content hash) were counted but not stored again. */
  duplicates?: number;
}
