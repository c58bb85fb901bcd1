import type { CompareRules } from '../config';
import type { Logger } from '../log';
import type { ComparisonResult, ExchangeRecord } from '../records';
import { RecordFailed, type RecordOutcome, type ResultsStore } from '../store';
import type { Comparer } from './comparer';
import { FAILED_PREFIX, recordedExchange, type ProcessedExchange } from './process-exchange';
import { failedRecord } from './record-documents-for';
import { withStoreTokens, type StoreSampler } from './store-sampler';

/** Called once per job after its result was recorded (metrics, notifications); must not throw. */
export type ResultHook = (exchange: ExchangeRecord, result: ComparisonResult, outcome: RecordOutcome) => void;

/**
 * Compares a pack's exchanges, then records their results together (one script call per
 * route, see `ResultsStore.recordPack`); recording is idempotent, so a retried pack never
 * counts twice. An exchange whose comparison or record throws (while Redis is up) is
 * recorded as a classified failure instead, so it never fails its pack's neighbours (see
 * `failedComparison`). The result hook is given what Redis counted: an exchange counted
 * whose pack's later writes (report indexes, lists) failed is reported as counted, and
 * the failure logged once per pack. A lost connection rejects `compare` (the job fails and comes back).
 *
 * @example
 * const packs = new PackComparer({ comparer, store, rulesFor, sampler: null, log });
 * await packs.compare(exchanges); // packs.processed += exchanges.length
 */
export class PackComparer {
  /** Exchanges compared and counted since start. */
  processed = 0;

  constructor(
    private readonly deps: {
      comparer: Comparer;
      store: ResultsStore;
      /** The route's compare rules (see `rulesSource`). */
      rulesFor: (route: string) => Promise<CompareRules>;
      /** Which exchanges get their exchange record stored; null: all of them. */
      sampler: StoreSampler | null;
      log: Logger;
      onResult?: ResultHook;
    },
  ) {}

  compare(exchanges: ExchangeRecord[]): Promise<void> {
    const { sampler } = this.deps;
    return sampler
      ? withStoreTokens(sampler, exchanges, (sampledOut, counted) => this.compareSampled(exchanges, sampledOut, counted))
      : this.compareSampled(
          exchanges,
          exchanges.map(() => false),
          () => undefined,
        );
  }

  private async compareSampled(
    exchanges: ExchangeRecord[],
    sampledOut: boolean[],
    counted: (i: number, outcome: RecordOutcome) => void,
  ): Promise<void> {
    const { comparer, store, log, onResult } = this.deps;
    const redis = store.redis;
    const outs: ProcessedExchange[] = [];
    // each route's rules once per pack (most packs are of one route)
    const rules = new Map<string, Promise<CompareRules>>();
    const rulesOf = (route: string) => rules.get(route) ?? rules.set(route, this.deps.rulesFor(route)).get(route)!;
    // What each record is for: a comparer with threads builds its documents there (no O(body) work on this loop).
    const recordOf = (i: number) => store.recordOptions(exchanges[i], sampledOut[i]);
    for (let i = 0; i < exchanges.length; i++) {
      const ex = exchanges[i];
      try {
        outs.push(await comparer.compare(ex, await rulesOf(ex.route), recordOf(i)));
      } catch (e) {
        if (redis.status !== 'ready') throw e;
        outs.push(await failedRecord(comparer, ex, e, recordOf(i)));
      }
    }
    const settled = await store.recordPack(
      exchanges.map((ex, i) => ({
        exchange: recordedExchange(ex, outs[i]),
        result: outs[i].result,
        extra: outs[i],
        ...(sampledOut[i] ? { sampledOut: true } : {}),
      })),
    );
    const unfinished = new Set<string>();
    for (let i = 0; i < exchanges.length; i++) {
      const ex = exchanges[i];
      let out = outs[i];
      let outcome: RecordOutcome;
      const s = settled[i];
      if (s.status === 'fulfilled') {
        // Counted as `outcome` says: the hook reports that, whatever failed after the counts.
        outcome = s.value;
        if (s.unfinished) unfinished.add(s.unfinished);
      } else {
        // Only a record Redis refused is recorded as a failure; a lost connection fails the job, which comes back.
        if (!(s.reason instanceof RecordFailed) || redis.status !== 'ready' || out.result.reason?.startsWith(FAILED_PREFIX)) throw s.reason;
        out = await failedRecord(comparer, ex, s.reason, recordOf(i));
        // the failure respects the sample too: stored exchanges stay an unbiased sample (rediff recounts them)
        outcome = await store.record(ex, out.result, out, sampledOut[i] ? { sampledOut: true } : {});
      }
      counted(i, outcome);
      if (out.result.reason?.startsWith(FAILED_PREFIX))
        log.warn(
          { requestId: ex.requestId, exchange: ex.id, route: ex.route, reason: out.result.reason },
          'exchange could not be compared',
        );
      this.processed++;
      try {
        onResult?.(ex, out.result, outcome);
      } catch (e) {
        log.warn({ err: (e as Error).message, requestId: ex.requestId }, 'result hook failed');
      }
    }
    for (const err of unfinished) log.warn({ err }, 'results counted, but some of their report writes failed (a key of the wrong type?)');
  }
}
