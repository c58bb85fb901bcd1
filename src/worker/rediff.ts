import { randomBytes } from 'node:crypto';
import { TandemError } from '../errors';
import type { TandemConfig } from '../config';
import type { ExchangeRecord, ResultClass } from '../records';
import type { RuntimeRules } from '../rules';
import { clearDerived, type ResultsReader, type ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { compareLimits, recordedExchange } from './process-exchange';
import { inlineComparer, type Comparer } from './comparer';
import { failedRecord } from './record-documents-for';
import type { CompareRules } from '../config';
import { redactorFor } from '../redact';
import { rulesSource } from '../rules';

/**
 * What a rediff needs.
 *
 * @example
 * const deps: RediffDeps = { config, store, rules, translators };
 */
export interface RediffDeps {
  config: Pick<TandemConfig, 'routes' | 'compare' | 'capture' | 'redact'> & Partial<Pick<TandemConfig, 'retention' | 'worker'>>;
  store: ResultsStore;
  rules: RuntimeRules;
  translators: TranslatorRegistry;
  /** Where comparisons run (default: on this thread). Not closed by the rediff. */
  comparer?: Comparer;
  /** Exchanges loaded per round trip (default 100). */
  batchSize?: number;
  /** Filled in as the rediff goes, so a caller can tell what a rediff that failed left undone. */
  progress?: RediffProgress;
}

/**
 * How far a rediff got: `stage` `lock` (taking the route's lock), `clear` (snapshotting the
 * ids and clearing the derived data: done or not, unknown if it failed there), `noise`
 * (pass 1), `recompute` (pass 2: `recomputed` of `total` stored exchanges recorded again) or
 * `done`; `lockSeconds`: how long the lock outlives a rediff that could not release it.
 *
 * @example
 * const progress: RediffProgress = { stage: 'lock', total: 0, recomputed: 0, lockSeconds: 600 };
 */
export interface RediffProgress {
  stage: 'lock' | 'clear' | 'noise' | 'recompute' | 'done';
  total: number;
  recomputed: number;
  lockSeconds: number;
}

/**
 * What a rediff did: how many stored exchanges were compared again, per class.
 *
 * @example
 * const r: RediffResult = { recomputed: 1000, byClass: { match: 940, mismatch: 60 } };
 */
export interface RediffResult {
  recomputed: number;
  byClass: Partial<Record<ResultClass, number>>;
}

/**
 * Another rediff of the same route is running.
 *
 * @example
 * try { await rediffRoute(deps, 'product') } catch (e) { if (e instanceof RediffBusyError) res.status(409) }
 */
export class RediffBusyError extends TandemError {
  constructor(message: string) {
    super('ERR_TANDEM_REDIFF_BUSY', message, { status: 409, apiError: 'busy' });
    this.name = 'RediffBusyError';
  }
}

const LOCK_SECONDS = 600;

/**
 * Recompute a route's results from its stored raw exchanges under the current rules:
 * atomically snapshot the exchange ids and clear the derived data (counters per class
 * and per customer, fields, noise, signatures, mismatches, dedupe, report indexes;
 * ingress counters such as `seen`, `shadowed`, `skipped:*`, `dropped:*` are kept), then
 * (1) rebuild the noise evidence from exchanges that had a legacy repeat, so learned
 * noise applies to every exchange, and (2) compare and record each exchange again.
 * Covers only what retention kept (`retention.exchangesPerRoute`, `retention.ttlSeconds`) of the
 * exchange records the workers stored (a class-independent sample under sustained load:
 * `retention.exchangesPerSecond`, see `StoreSampler`).
 * One rediff per route at a time (RediffBusyError otherwise).
 *
 * @example
 * const { recomputed, byClass } = await rediffRoute({ config, store, rules, translators }, 'product');
 */
export async function rediffRoute(deps: RediffDeps, route: string): Promise<RediffResult> {
  const { store } = deps;
  const progress = deps.progress ?? { stage: 'lock', total: 0, recomputed: 0, lockSeconds: LOCK_SECONDS };
  Object.assign(progress, { stage: 'lock', total: 0, recomputed: 0, lockSeconds: LOCK_SECONDS });
  const token = randomBytes(8).toString('hex');
  if (!(await store.lockRediff(route, token, LOCK_SECONDS))) throw new RediffBusyError(`a rediff of route "${route}" is already running`);
  try {
    progress.stage = 'clear';
    const ids = await clearDerived(store, route);
    progress.total = ids.length;
    progress.stage = 'noise';
    const maxDecompressedBytes = deps.config.capture.maxDecodedBytes;
    const comparer =
      deps.comparer ??
      inlineComparer({
        translators: deps.translators,
        maxDecompressedBytes,
        redactor: redactorFor(deps.config.redact, store.redis, store.keys.redactKey, maxDecompressedBytes),
        limits: compareLimits(deps.config),
      });
    const rulesFor = rulesSource(deps.config, deps.rules);
    await rebuildNoiseEvidence(deps, route, ids, comparer, await rulesFor(route));
    await deps.rules.fresh(route);
    const rules = await rulesFor(route);
    progress.stage = 'recompute';
    const byClass: RediffResult['byClass'] = {};
    let recomputed = 0;
    for await (const ex of storedExchanges(store, ids, deps.batchSize)) {
      // A comparer with threads (tandem serve's) builds the record's documents there, as the worker's
      // results are: rediff's records are the exchange's (never sampled out), so no O(body) work here.
      const record = store.recordOptions(ex, false);
      // One that throws or passes the comparer's deadline is counted as a failed comparison, as the worker does.
      const out = await comparer.compare(ex, rules, record).catch(async (e: unknown) => {
        if (store.redis.status !== 'ready') throw e;
        return failedRecord(comparer, ex, e, record);
      });
      // The noise evidence was rebuilt in pass 1: not counted twice.
      await store.record(recordedExchange(ex, out), out.result, { ...out, repeatPaths: undefined }, { rediff: true });
      byClass[out.result.class] = (byClass[out.result.class] ?? 0) + 1;
      recomputed++;
      progress.recomputed++;
    }
    progress.stage = 'done';
    return { recomputed, byClass };
  } finally {
    await store.unlockRediff(route, token).catch(() => undefined);
  }
}

/** Pass 1: count legacy-vs-legacy differences of the stored exchanges that had a repeat. */
async function rebuildNoiseEvidence(
  deps: RediffDeps,
  route: string,
  ids: string[],
  comparer: Comparer,
  rules: CompareRules,
): Promise<void> {
  let repeats = 0;
  const differed = new Map<string, number>();
  for await (const ex of storedExchanges(deps.store, ids, deps.batchSize)) {
    if (!ex.legacyRepeat) continue;
    // One whose comparison fails gives no evidence (pass 2 counts it as failed).
    const { repeatPaths } = await comparer.compare(ex, rules).catch(() => ({ repeatPaths: undefined }));
    if (!repeatPaths) continue;
    repeats++;
    for (const p of repeatPaths) differed.set(p, (differed.get(p) ?? 0) + 1);
  }
  if (!repeats) return;
  await deps.store.addNoiseEvidence(route, repeats, differed);
}

/** The stored exchanges of `ids`, in order, loaded in batches; expired ones are skipped. */
async function* storedExchanges(store: ResultsReader, ids: string[], batchSize = 100): AsyncGenerator<ExchangeRecord> {
  for (let i = 0; i < ids.length; i += batchSize) {
    for (const ex of await store.exchanges(ids.slice(i, i + batchSize))) if (ex) yield ex;
  }
}
