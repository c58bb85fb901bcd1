import type { ComparisonResult, ExchangeRecord } from '../records';
import type { KeySchema } from './key-schema';
import { RecordKeyCache, STAGE_FROM_CHARS, type RecordCall } from './record-keys';
import { NEW_CUSTOMER_BYTES, type MemoryBudget } from './memory-budget';
import { contentHash } from './content-hash';
import { CauseTexts } from './cause-texts';
import { ownPayload } from './own-payload';
import { MAX_RECORD_BYTES } from './record-cap';
import { recordDocuments } from './record-documents';
import {
  DEFAULT_CUSTOMERS_PER_ROUTE,
  OVERFLOW_CUSTOMER,
  MAX_CAUSES_PER_ROUTE,
  type Retention,
  type RecordPayload,
  type RecordItem,
  type RecordExtra,
} from './record-types';

/**
 * Builds each exchange's part of a record script call (`RecordCall`: its keys, its payload
 * fields as JSON, its exchange JSON and the rest of its mismatch JSON) and the pack's
 * payload fields (`packPayload`). The pack's fields (the retention settings every exchange
 * shares, and the usual value of the others: no paths, no signature...) are sent once per
 * pack; an exchange's payload holds only what differs from them.
 *
 * @example
 * const calls = new RecordCalls(keySchema('tandem'), retention, null);
 * const call = calls.call({ exchange, result, extra }, {}); // a RecordCall (a Promise of one with a memory budget)
 */
export class RecordCalls {
  /** The payload fields a pack sends once (see `packPayload`). */
  private readonly defaults: Partial<RecordPayload>;
  private readonly recordKeys: RecordKeyCache;
  private readonly causeTexts = new CauseTexts();
  /**
   * Content hashes of mismatches whose sample the script last said stored (status flag 4), at
   * most `STORED_HASHES` (the oldest go first): a sampled-out mismatch of one of them is sent
   * by its hash alone (`RecordCall.hashOnly`). Only a guess: the script checks it.
   */
  private readonly storedHashes = new Set<string>();

  /**
   * `budget`: the memory budget guard, or null; `o.stageFromChars`: exchange records of this
   * many JSON characters or more are staged (default `STAGE_FROM_CHARS`; see `RecordCall.exchangeJson`).
   */
  constructor(
    private readonly keys: KeySchema,
    private readonly retention: Retention,
    private readonly budget: MemoryBudget | null,
    private readonly o: { stageFromChars?: number } = {},
  ) {
    this.recordKeys = new RecordKeyCache(keys);
    this.defaults = {
      ttl: retention.ttlSeconds,
      overflow: OVERFLOW_CUSTOMER,
      overflowSeg: keys.segment(OVERFLOW_CUSTOMER),
      customerCap: retention.customersPerRoute ?? DEFAULT_CUSTOMERS_PER_ROUTE,
      exchangeCap: retention.exchangesPerRoute,
      mismatchCap: retention.mismatchesPerRoute,
      doneTtl: retention.dedupeSeconds ?? retention.ttlSeconds,
      readinessWindow: retention.readinessWindow ?? 200,
      causeCap: MAX_CAUSES_PER_ROUTE,
      fields: [],
      noise: [],
      fieldTotals: [],
      noiseTotals: [],
      repeatFields: [],
      suspected: [],
      signature: '',
      risk: '',
      contentHash: '',
      overBudget: false,
      sampledOut: false,
      repeated: false,
    };
  }

  /**
   * The pack's payload fields as JSON (ARGV[7] of RECORD_RESULT_LUA): the route, `rediff`
   * and the defaults; an exchange's payload leaves out what equals them.
   */
  packPayload(route: string, opts: { rediff?: boolean }): string {
    return JSON.stringify({ ...this.defaults, route, rediff: opts.rediff === true });
  }

  /**
   * One result's keys and script arguments (see RECORD_RESULT_LUA); checks the memory budget
   * (only when it must read Redis's memory first is the answer a Promise: otherwise, and without a
   * budget, it is given at once). `full`: never by
   * its content hash alone (the script asked for it again, see `RecordCall.hashOnly`).
   */
  call(item: RecordItem, opts: { rediff?: boolean }, full = false): RecordCall | Promise<RecordCall> {
    const doc = this.documents(item, opts, full);
    if (!this.budget) return this.finish(doc, false, opts);
    // What Redis will hold, not the JSON length: jemalloc rounds large strings up to its
    // size classes (up to 25%), and every record brings keys and index entries with it,
    // and possibly a new customer's per-customer state.
    const estimate = Math.ceil(doc.storedChars * 1.25) + 1024 + NEW_CUSTOMER_BYTES;
    // at once while the last reading of Redis's memory is recent (nearly always): no promise per exchange
    const now = this.budget.overNow(estimate);
    if (now !== undefined) return this.finish(doc, now, opts);
    return this.budget.over(estimate).then((over) => this.finish(doc, over, opts));
  }

  /**
   * What the script said of a call's exchange (its status, a number): a mismatch whose sample
   * is stored (flag 4) makes the next of its content hash go by the hash alone; one recorded
   * without (over the budget, trimmed at once) or sent again (3) stops that.
   */
  settled(call: RecordCall, status: number): void {
    if (!call.contentHash || status === 0) return;
    if ((status & 4) === 0) {
      this.storedHashes.delete(call.contentHash);
      return;
    }
    if (this.storedHashes.has(call.contentHash)) return;
    if (this.storedHashes.size >= STORED_HASHES) this.storedHashes.delete(this.storedHashes.values().next().value as string);
    this.storedHashes.add(call.contentHash);
  }

  /**
   * The record's documents: the exchange's JSON, what follows it in the mismatch record, and how
   * many characters Redis would store (`recordDocuments`), or those the item came with
   * (`RecordExtra.prepared`) when they were built for the same record.
   */
  private documents({ exchange, result, extra, sampledOut }: RecordItem, opts: { rediff?: boolean }, full: boolean): Documents {
    // Under per-route tagging the id must carry its route's mark, so its records share the route's slot.
    const id = this.keys.recordId(exchange.route, exchange.id);
    if (id !== exchange.id) exchange = { ...exchange, id };
    const isMismatch = result.class === 'mismatch';
    const noExchangeRecord = sampledOut === true && opts.rediff !== true;
    const cap = this.retention.maxRecordBytes ?? MAX_RECORD_BYTES;
    const given = extra.prepared;
    const prepared = given && given.id === id && given.noExchangeRecord === noExchangeRecord && given.cap === cap ? given : undefined;
    const hash = prepared ? prepared.hash : isMismatch ? contentHash(exchange, extra.translatedCandidate, result) : '';
    // Literals, not a spread of shared fields: V8 (Node 20) builds an object spread and then given
    // fields it did not hold slowly (~10 µs a call here, the slowest step of recording a sampled-out match).
    // A likely duplicate with no exchange record of its own: its JSON would be sent to be dropped.
    if (noExchangeRecord && isMismatch && !full && this.storedHashes.has(hash))
      return {
        exchange,
        result,
        extra,
        isMismatch,
        noExchangeRecord,
        hash,
        exchangeJson: '',
        mismatchTail: '',
        storedChars: 0,
        hashOnly: true,
      };
    const docs = prepared ?? recordDocuments({ exchange, result, extra, sampledOut }, { recordId: id, cap, rediff: opts.rediff, hash });
    return {
      exchange,
      result,
      extra,
      isMismatch,
      noExchangeRecord,
      hash,
      exchangeJson: docs.exchangeJson,
      mismatchTail: docs.mismatchTail,
      storedChars: docs.storedChars,
      hashOnly: false,
    };
  }

  /** The call from the record's documents and whether it is over the memory budget. */
  private finish(doc: Documents, overBudget: boolean, opts: { rediff?: boolean }): RecordCall {
    const { exchange, result, extra, isMismatch, exchangeJson } = doc;
    const signature = result.signature ?? '';
    const risk = result.risk ?? '';
    const causes = isMismatch && extra.causes?.length ? extra.causes : undefined;
    const payload = ownPayload({
      class: result.class,
      customer: exchange.customer,
      customerSeg: this.keys.segment(exchange.customer),
      at: exchange.at,
      id: exchange.id,
      fields: extra.fieldPaths,
      noise: extra.noisePaths,
      signature,
      risk,
      overBudget,
      sampledOut: doc.noExchangeRecord,
      repeatPaths: extra.repeatPaths,
      suspected: extra.suspectedPaths,
      contentHash: doc.hash,
      hashOnly: doc.hashOnly,
      causesJson: causes && this.causeTexts.payloadJson(causes),
    });
    const parts = this.recordKeys.parts(
      { id: exchange.id, route: exchange.route, class: result.class, signature, risk, at: exchange.at },
      causes ? causes.map((c) => c.key) : NO_CAUSES,
    );
    // A sampled-out match writes and reads no exchange or mismatch record: those two keys are not sent (see `packScriptArgs`).
    if (doc.noExchangeRecord && !isMismatch) parts.own[1] = parts.own[2] = '';
    // A long record the script will copy (not rediff's, not over the budget, not sampled out) is
    // staged: written beside the call rather than passed to it (see `RecordCall.exchangeJson`). A
    // sampled-out mismatch's is passed: only its mismatch record embeds it, which the script
    // builds in Lua either way (staged, it would read it back), so staging would only add commands.
    const stageFrom = this.o.stageFromChars ?? STAGE_FROM_CHARS;
    const staged =
      opts.rediff !== true && !overBudget && !doc.noExchangeRecord && exchangeJson.length >= stageFrom ? exchangeJson : undefined;
    return {
      shared: parts.shared,
      own: parts.own,
      payload,
      exchangeJson: staged === undefined ? exchangeJson : '',
      mismatchTail: doc.mismatchTail,
      staged,
      contentHash: doc.hash,
      hashOnly: doc.hashOnly,
    };
  }
}

/** What `RecordCalls.call` works out before the memory budget is asked. */
interface Documents {
  exchange: ExchangeRecord;
  result: ComparisonResult;
  extra: RecordExtra;
  isMismatch: boolean;
  noExchangeRecord: boolean;
  exchangeJson: string;
  mismatchTail: string;
  /** Characters of the records Redis would store (the exchange's, unless sampled out, and the mismatch's). */
  storedChars: number;
  /** A mismatch's content hash, '' for none. */
  hash: string;
  /** Sent by its hash alone (see `RecordCall.hashOnly`): no JSON built. */
  hashOnly: boolean;
}

const NO_CAUSES: readonly string[] = [];

/** Content hashes `RecordCalls` remembers as stored at most (40 characters each: about 1 MB). */
export const STORED_HASHES = 10_000;
