import type { BodyRecord, ExchangeRecord } from '../records';
// The pure module, not the store's index: a comparison thread loads this file (no ioredis there).
import { recordDocuments, type RecordDocuments, type RecordOptions } from '../store/record-documents';
import type { Comparer } from './comparer';
import { failedComparison, recordedExchange, type ProcessedExchange } from './process-exchange';

/**
 * A processed exchange with its record's documents built (`RecordExtra.prepared`), where the
 * comparison ran (a comparison thread). What the store no longer reads with them is left out
 * (the translated candidate: up to a body's size), so it is neither cloned back to the proxy's
 * thread nor walked there.
 *
 * @example
 * return withRecordDocuments(exchange, await processExchange(exchange, deps), task.record);
 */
export function withRecordDocuments(ex: ExchangeRecord, out: ProcessedExchange, record: RecordOptions): ProcessedExchange {
  const prepared = recordDocuments(
    { exchange: recordedExchange(ex, out), result: out.result, extra: out, sampledOut: record.sampledOut },
    { recordId: record.recordId, cap: record.cap },
  );
  const { translatedCandidate: _translated, ...rest } = out;
  return { ...rest, prepared };
}

/** How long building a failed comparison's documents on a thread may take before the record leaves the bodies out, in ms. */
export const FAILED_DOCUMENTS_MS = 10_000;

/**
 * The record of an exchange whose comparison (or record) failed (`failedComparison`: counted
 * as `unparseable`, its reason naming the error), its documents built off the calling thread
 * when the comparer has threads (`Comparer.prepareRecord`). When that fails too or takes over
 * `FAILED_DOCUMENTS_MS`, the record keeps every body as its size alone (`bodilessDocuments`):
 * nothing of a body is stored, and the exchange is still counted once. Without `record` or
 * threads, the store builds the documents as it records (a `tandem worker`, which has nothing
 * else to do).
 *
 * @example
 * outs.push(await failedRecord(comparer, ex, err, store.recordOptions(ex, sampledOut)));
 */
export async function failedRecord(
  comparer: Comparer,
  ex: ExchangeRecord,
  err: unknown,
  record?: RecordOptions,
): Promise<ProcessedExchange> {
  const out = failedComparison(err);
  if (!record || !comparer.prepareRecord) return out;
  try {
    return { ...out, prepared: await comparer.prepareRecord(ex, out, record, FAILED_DOCUMENTS_MS) };
  } catch {
    return { ...out, prepared: bodilessDocuments(ex, out, record) };
  }
}

/** The holders of an exchange's bodies. */
const HOLDERS = ['request', 'candidateRequest', 'legacy', 'candidate', 'legacyRepeat'] as const;

/**
 * The documents of a record whose bodies are all left out (each kept as its encoding, size
 * and recorded SHA-256, if any, and named in `storedWithout`): built on the calling thread
 * without reading any body's text, so O(headers) only. For a failed comparison whose
 * documents could not be built on a thread.
 *
 * @example
 * bodilessDocuments(ex, failedComparison(err), record).exchangeJson; // no body text in it
 */
export function bodilessDocuments(ex: ExchangeRecord, out: ProcessedExchange, record: RecordOptions): RecordDocuments {
  const bare: Record<string, unknown> = { ...ex };
  const without = [...(ex.storedWithout ?? [])];
  for (const holder of HOLDERS) {
    const message = ex[holder];
    const body = message?.body;
    if (!message || !body) continue;
    // encoding, size and sha256 are plain fields: `data` (decoded on reading) is never read
    const left: BodyRecord = { encoding: body.encoding, data: '', size: body.size, truncated: true };
    if (body.sha256 !== undefined) left.sha256 = body.sha256;
    if (body.withheld !== undefined) left.withheld = body.withheld;
    bare[holder] = { ...message, body: left };
    if (!body.truncated) without.push(`${holder}.body`);
  }
  bare.storedWithout = without;
  const { translatedCandidate: _translated, ...extra } = out;
  return recordDocuments(
    { exchange: recordedExchange(bare as unknown as ExchangeRecord, out), result: out.result, extra, sampledOut: record.sampledOut },
    { recordId: record.recordId, cap: record.cap },
  );
}
