import type { CompareRules, TandemConfig } from '../config';
import type { ComparisonResult, ExchangeRecord } from '../records';
import type { Redactor } from '../redact';
import { createUpstreamFor } from '../runtime';
import type { MismatchRecord, ResultsStore } from '../store';
import type { TranslatorRegistry } from '../translate';
import { closeUpstream } from '../upstream';
import { replayExchange } from './replay-exchange';

/**
 * A stored exchange by id: from its mismatch record when it has one, else from the raw
 * exchange records (kept for every class). Null when expired or unknown.
 *
 * @example
 * const ex = await loadExchange(store, id);
 */
export async function loadExchange(store: ResultsStore, id: string): Promise<ExchangeRecord | null> {
  return (await store.storedExchange(id))?.exchange ?? null;
}

/**
 * What a replay answers: the new (redacted) exchange and result, beside the stored class.
 *
 * @example
 * const r: ReplayReport | null = await replayStored(store, id, deps);
 */
export interface ReplayReport {
  id: string;
  replayedAt: number;
  /** The class stored for this exchange (mismatch, or what the raw index says), when known. */
  before: { class: string; signature?: string } | null;
  result: ComparisonResult;
  exchange: ExchangeRecord;
  translatedCandidate?: MismatchRecord['translatedCandidate'];
  stored: false;
}

/**
 * Replay a stored exchange against the current candidate now and return the new result.
 * The live answer is redacted like everything Tandem stores before it is compared and
 * answered, so secrets that did not change compare equal. The result is not stored.
 *
 * @example
 * const report = await replayStored(store, id, { config, translators, rulesFor: (r) => rules(r) });
 */
export async function replayStored(
  store: ResultsStore,
  id: string,
  deps: {
    config: Pick<TandemConfig, 'candidate' | 'legacy' | 'capture'>;
    translators: TranslatorRegistry;
    redactor: Redactor;
    rulesFor(route: string): Promise<CompareRules> | CompareRules;
  },
): Promise<ReplayReport | null> {
  const found = await store.storedExchange(id);
  if (!found) return null;
  const { exchange: stored, mismatch } = found;
  const before = mismatch ? { class: 'mismatch', signature: mismatch.result.signature } : null;
  const { config } = deps;
  const candidate = createUpstreamFor(config, 'candidate', 1);
  try {
    const out = await replayExchange(stored, {
      candidate,
      translators: deps.translators,
      rulesFor: deps.rulesFor,
      maxDecompressedBytes: Math.max(8 * config.capture.maxBodyBytes, 8 << 20),
      redactor: deps.redactor,
    });
    return {
      id,
      replayedAt: Date.now(),
      before,
      result: out.result,
      exchange: out.exchange,
      translatedCandidate: out.translatedCandidate,
      stored: false,
    };
  } finally {
    closeUpstream(candidate);
  }
}
