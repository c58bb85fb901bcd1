/**
 * Entry of a comparison thread (see `compare-threads.ts`): loads the config's translators
 * once, then compares the exchanges it is given. Runs inside a worker thread only.
 */
import { workerData } from 'node:worker_threads';
import type { CompareRules } from '../config';
import type { ExchangeRecord, Headers, RequestRecord, ResponseRecord } from '../records';
import { toTranslatableRequest, translateRequest, translateResponseBytes } from '../translate';
import { createRedactor, type Redactor } from '../redact';
// Only the comparison and the translators: the thread's heap holds no queue, store or BullMQ code.
import { processExchange, type ProcessedExchange } from '../worker/process-exchange';
import { withRecordDocuments } from '../worker/record-documents-for';
import type { RecordDocuments, RecordOptions } from '../store/record-documents';
import { exchangeFromWire } from './body-wire';
import { createTranslatorsFor } from './translators-for';
import type { CompareThreadInit } from './compare-threads';

/**
 * One comparison: the exchange (bodies as bytes, see `exchangeToWire`), its route's rules (with
 * an id, so the thread keeps the compiled rules), the redaction key, and the record its result
 * is for, if its documents are to be built here (see `Comparer.compare`).
 */
export interface CompareTask {
  exchange: ExchangeRecord;
  rules: CompareRules;
  rulesId: number;
  redactKey?: Uint8Array;
  record?: RecordOptions;
}

const init = workerData as CompareThreadInit;
const translators = createTranslatorsFor(init.config, init.baseDir);
/** Rules by id: the same object for the same rules, so their compiled form is cached (a few routes, a few versions each). */
const rulesById = new Map<number, CompareRules>();
let redactor: { key: string; redactor: Redactor } | undefined;

export default async function compareInThread(task: CompareTask): Promise<ProcessedExchange> {
  let rules = rulesById.get(task.rulesId);
  if (!rules) {
    if (rulesById.size >= 256) rulesById.delete(rulesById.keys().next().value!);
    rulesById.set(task.rulesId, (rules = task.rules));
  }
  let redact: Redactor | undefined;
  if (task.redactKey) {
    const key = Buffer.from(task.redactKey).toString('hex');
    if (redactor?.key !== key)
      redactor = { key, redactor: createRedactor(init.redact, Buffer.from(task.redactKey), init.maxDecompressedBytes) };
    redact = redactor.redactor;
  }
  const r = rules;
  const exchange = exchangeFromWire(task.exchange);
  const out = await processExchange(exchange, {
    translators,
    rulesFor: () => r,
    maxDecompressedBytes: init.maxDecompressedBytes,
    redact,
    limits: init.limits,
  });
  return task.record ? withRecordDocuments(exchange, out, task.record) : out;
}

/** The documents of a result's record (a failed comparison's, see `failedRecord`): the exchange (bodies as bytes), the result, the record. */
export interface PrepareRecordTask {
  exchange: ExchangeRecord;
  out: ProcessedExchange;
  record: RecordOptions;
}

/** Build the record's documents (see `recordDocuments`). */
export async function prepareRecordInThread(task: PrepareRecordTask): Promise<RecordDocuments> {
  return withRecordDocuments(exchangeFromWire(task.exchange), task.out, task.record).prepared!;
}

/** One request translation: the route, the request as relayed to legacy, its path params, the decode cap. */
export interface TranslateRequestTask {
  route: string;
  request: RequestRecord;
  params: Record<string, string>;
  maxDecodedBytes?: number;
}

/** Run the route's request translator (see `translateRequest`); rejects with its error. */
export async function translateRequestInThread(task: TranslateRequestTask): Promise<RequestRecord> {
  return translateRequest(translators.forRoute(task.route), task.request, task.params, { maxDecodedBytes: task.maxDecodedBytes });
}

/** One response translation to serve: the route, the candidate's response, the client's request, its path params, the decode cap. */
export interface TranslateResponseTask {
  route: string;
  response: Pick<ResponseRecord, 'status' | 'headers' | 'body'>;
  request: RequestRecord;
  params: Record<string, string>;
  maxDecodedBytes?: number;
}

/**
 * Run the route's response translator on the candidate's response and give the bytes to serve
 * (see `translateResponseBytes`); rejects with its error.
 */
export async function translateResponseInThread(task: TranslateResponseTask): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const request = toTranslatableRequest(task.request, task.params, task.maxDecodedBytes);
  return translateResponseBytes(
    translators.forRoute(task.route),
    task.response,
    { request, route: task.route },
    {
      maxDecodedBytes: task.maxDecodedBytes,
    },
  );
}
