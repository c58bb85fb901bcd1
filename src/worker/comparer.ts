import type { CompareRules } from '../config';
import type { ExchangeRecord, Headers, RequestRecord, ResponseRecord } from '../records';
import type { Redactor } from '../redact';
import type { RecordDocuments, RecordOptions } from '../store/record-documents';
import type { TranslatorRegistry } from '../translate';
import { processExchange, type ProcessDeps, type ProcessedExchange } from './process-exchange';

/**
 * Where an exchange's comparison (response translator, normalisation, diff) runs. The
 * worker and rediff resolve the route's rules and record the result; a comparer only
 * computes it. Two kinds exist: {@link inlineComparer} on the calling thread (a
 * `tandem worker` process, which has nothing else to do), and the runtime's pool of
 * worker threads (`tandem serve` with its in-process worker), so that a big diff or a
 * slow translator never stalls the proxy's event loop.
 *
 * @example
 * const out = await comparer.compare(exchange, await rulesFor(exchange.route));
 */
export interface Comparer {
  /**
   * Compare one exchange under `rules` (already merged for its route). Rejects when the
   * comparison throws, or (on threads) takes over `worker.compareTimeoutMs`. `record`: the record the result is for (the worker's; see
   * `ResultsStore.recordOptions`): a comparer with threads builds its documents there too
   * (`ProcessedExchange.prepared`, see `withRecordDocuments`), so recording it is no O(body)
   * work on the calling thread; one on the calling thread leaves them to the store.
   */
  compare(exchange: ExchangeRecord, rules: CompareRules, record?: RecordOptions): Promise<ProcessedExchange>;
  /**
   * Build the record documents of `out` (a failed comparison's, see `failedRecord`) for
   * `exchange` off the calling thread; present only on a comparer with threads. Rejects with
   * the thread's error, or after `timeoutMs` (ms, waiting for a thread included).
   */
  prepareRecord?(exchange: ExchangeRecord, out: ProcessedExchange, record: RecordOptions, timeoutMs: number): Promise<RecordDocuments>;
  /**
   * Run `route`'s request translator on `request` off the calling thread (the shadow
   * path's translation of a mirrored copy); present only on a comparer with threads.
   * Rejects with the translator's error message.
   */
  translateRequest?(
    route: string,
    request: RequestRecord,
    params: Record<string, string>,
    maxDecodedBytes?: number,
  ): Promise<RequestRecord>;
  /**
   * Run `route`'s response translator on the candidate's `response` off the calling thread
   * and give the bytes to serve (see `translateResponseBytes`: the serving path's translation
   * of a big answer); present only on a comparer with threads. Rejects with the translator's
   * error message, or after `timeoutMs` (ms, waiting for a thread included) with
   * `response translation took over N ms`: the thread running it is stopped and replaced.
   */
  translateResponse?(
    route: string,
    response: Pick<ResponseRecord, 'status' | 'headers' | 'body'>,
    ctx: { request: RequestRecord; params: Record<string, string>; maxDecodedBytes?: number; timeoutMs: number },
  ): Promise<{ status: number; headers: Headers; body: Buffer }>;
  /** Stop the comparer's threads, if any; pending comparisons reject. */
  close(): Promise<void>;
}

/**
 * A comparer that runs on the calling thread.
 *
 * @example
 * const comparer = inlineComparer({ translators, maxDecompressedBytes: 8 << 20, redactor: async () => redactor });
 */
export function inlineComparer(deps: {
  translators: TranslatorRegistry;
  maxDecompressedBytes: number;
  redactor?: () => Promise<Redactor>;
  limits?: ProcessDeps['limits'];
}): Comparer {
  return {
    async compare(exchange, rules) {
      const redact = deps.redactor ? await deps.redactor() : undefined;
      return processExchange(exchange, {
        translators: deps.translators,
        rulesFor: () => rules,
        maxDecompressedBytes: deps.maxDecompressedBytes,
        redact,
        limits: deps.limits,
      });
    },
    close: async () => undefined,
  };
}
