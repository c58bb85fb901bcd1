import type { ComparisonResult, ExchangeRecord } from '../records';
import { contentHash } from './content-hash';
import { storedExchangeJson } from './exchange-json';
import { fitRecord, MAX_RECORD_BYTES } from './record-cap';
import type { RecordExtra } from './record-types';

/**
 * What the record of one result stores, as the texts Redis is sent: built by
 * `recordDocuments` (all of the O(body) work of recording an exchange: its JSON, the
 * content hash, fitting it under `retention.maxRecordBytes` and the SHA-256 of the bodies
 * that leaves out). The store builds it when it records a result, unless
 * the result comes with one (`RecordExtra.prepared`): `tandem serve`'s in-process worker has
 * it built on a comparison thread, so the proxy's event loop only sends the texts to Redis.
 * Plain data (strings, numbers): it crosses threads as it is.
 *
 * @example
 * const docs = recordDocuments({ exchange, result, extra }, { recordId: exchange.id, cap: 2 << 20 });
 * docs.exchangeJson; // '{"id":"lx3k-1f2e","route":"product",...}'
 */
export interface RecordDocuments {
  /** The exchange's id as recorded (`KeySchema.recordId`: with its route's mark under per-route tagging). */
  id: string;
  /** Whether it was built for a sampled-out exchange outside rediff (no exchange record: a match's JSON is ''). */
  noExchangeRecord: boolean;
  /** The cap it was fitted under, in bytes of JSON. */
  cap: number;
  /** The exchange's JSON as stored (`storedExchangeJson`, fitted under the cap), '' when no record embeds it. */
  exchangeJson: string;
  /** What follows the exchange's JSON in the mismatch record (`,"result":...}`), '' for another class. */
  mismatchTail: string;
  /** Characters of the records Redis would store (the exchange's, unless sampled out, and the mismatch's). */
  storedChars: number;
  /** A mismatch's content hash (`contentHash`), '' for another class. */
  hash: string;
}

/**
 * Build the documents of one result's record (see `RecordDocuments`): pure, O(body), so it
 * runs where the comparison ran. `o.recordId`: the exchange's id as recorded; `o.cap`:
 * `retention.maxRecordBytes` (default `MAX_RECORD_BYTES`); `o.rediff`: a rediff's record (it
 * writes no exchange record, so a sampled-out exchange's JSON is built all the same); `o.hash`:
 * its content hash when the caller already worked it out.
 *
 * @example
 * recordDocuments({ exchange, result, extra, sampledOut: true }, { recordId: exchange.id }).exchangeJson; // '' for a match
 */
export function recordDocuments(
  item: { exchange: ExchangeRecord; result: ComparisonResult; extra: RecordExtra; sampledOut?: boolean },
  o: { recordId: string; cap?: number; rediff?: boolean; hash?: string },
): RecordDocuments {
  const { result, extra } = item;
  const exchange = o.recordId === item.exchange.id ? item.exchange : { ...item.exchange, id: o.recordId };
  const isMismatch = result.class === 'mismatch';
  // Sampled out (not rediff's: it writes no exchange record): no exchange record, so a match's
  // JSON is never built (the worker's main cost per exchange); a mismatch's record still embeds it.
  const noExchangeRecord = item.sampledOut === true && o.rediff !== true;
  const hash = o.hash ?? (isMismatch ? contentHash(exchange, extra.translatedCandidate, result) : '');
  let exchangeJson = noExchangeRecord && !isMismatch ? '' : storedExchangeJson(exchange);
  let resultJson = isMismatch ? JSON.stringify(result) : '';
  let translatedJson = isMismatch && extra.translatedCandidate !== undefined ? JSON.stringify(extra.translatedCandidate) : undefined;
  const cap = o.cap ?? MAX_RECORD_BYTES;
  if (exchangeJson.length + resultJson.length + (translatedJson?.length ?? 0) > cap) {
    // What is kept for people is bounded; counters, signature, causes and dedupe use the full result.
    // measured once, here: fitRecord only takes off what each body it leaves out stored
    const measured = { exchange: exchangeJson.length, result: resultJson.length, translated: translatedJson?.length ?? 0 };
    const fitted = fitRecord(exchange, result, extra.translatedCandidate, cap, measured);
    exchangeJson = fitted.exchangeJson ?? storedExchangeJson(fitted.exchange);
    resultJson = isMismatch ? JSON.stringify(fitted.result) : '';
    translatedJson = isMismatch && fitted.translated !== undefined ? JSON.stringify(fitted.translated) : undefined;
  }
  // A mismatch record embeds the exchange: reuse its JSON instead of serialising both bodies again.
  const translated = translatedJson === undefined ? '' : `,"translatedCandidate":${translatedJson}`;
  // What follows the exchange in the mismatch record: the script writes the exchange's JSON before it, so it is sent once.
  const mismatchTail = isMismatch ? `,"result":${resultJson}${translated}}` : '';
  // the mismatch record is `{"exchange":` (12 characters), the exchange's JSON and the tail
  const mismatchChars = isMismatch ? 12 + exchangeJson.length + mismatchTail.length : 0;
  return {
    id: exchange.id,
    noExchangeRecord,
    cap,
    exchangeJson,
    mismatchTail,
    storedChars: (noExchangeRecord ? 0 : exchangeJson.length) + mismatchChars,
    hash,
  };
}

/**
 * What a record's documents depend on beyond the result (see `ResultsStore.recordOptions`):
 * the exchange's id as recorded, `retention.maxRecordBytes`, whether it is sampled out.
 */
export interface RecordOptions {
  recordId: string;
  cap: number;
  sampledOut: boolean;
}
