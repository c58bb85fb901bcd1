import { codedTransfer, type Headers, type RequestRecord, type TranslationError } from '../records';
import { translateRequest, type Translator } from '../translate';
import { hostFor, type Upstream } from './create-upstream';
import type { RawHead } from './http1-wire';
import { sendRequest, type SendOutcome } from './send-request';

/** Header marking a shadow request (mirrored or replayed); a request carrying it is never shadowed again. */
export const SHADOW_HEADER = 'x-tandem-shadow';
/** Header marking a replayed request (`tandem replay`, the report's replay), so a backend can tell it from live traffic. */
export const REPLAY_HEADER = 'x-tandem-replay';

/**
 * Request bodies from this size (bytes) are translated elsewhere when a call gives
 * `translate`: parsing and re-encoding 32 KB of JSON takes about a millisecond, about
 * what the hop to a thread costs; a 1 MB body takes tens.
 */
export const TRANSLATE_ELSEWHERE_BYTES = 32 * 1024;

/**
 * Whether translating a body costs more than the hop to a thread: it has
 * {@link TRANSLATE_ELSEWHERE_BYTES} or more, or it is in a content coding other than
 * `identity` (RFC 9110 section 8.4) or a transfer coding besides `chunked` (RFC 9112
 * section 7), either of which a few KB may decode to the whole decode cap
 * (`capture.maxBodyBytes`). `headers`: a record's, names lower-cased; `size`: held bytes.
 *
 * @example
 * translatesElsewhere(3000, { 'content-encoding': 'gzip' }); // true
 * translatesElsewhere(3000, { 'content-type': 'application/json' }); // false
 */
export function translatesElsewhere(size: number, headers: Headers): boolean {
  if (size >= TRANSLATE_ELSEWHERE_BYTES) return true;
  if (size === 0) return false;
  const coding = headers['content-encoding'];
  if (coding !== undefined && String(coding).trim().toLowerCase() !== 'identity') return true;
  return codedTransfer(headers) !== undefined;
}

/**
 * One request for the candidate. `request` is the client's request as relayed to
 * legacy (raw query, header names and order, body bytes). `marks`: `shadow` for a
 * mirrored copy whose answer nobody is served (the candidate may skip side effects;
 * never set when the candidate serves the client), `replay` for replays.
 *
 * @example
 * const call: CandidateCall = { translator, request, params: { id: '1' }, requestId: 'r1', marks: { shadow: true } };
 */
export interface CandidateCall {
  translator: Translator;
  request: RequestRecord;
  params: Record<string, string>;
  requestId: string;
  marks?: { shadow?: boolean; replay?: boolean };
  /** Cap (bytes) on a body's decompressed size before the translator parses it; the proxy passes `capture.maxBodyBytes`. */
  maxDecodedBytes?: number;
  /**
   * Runs the request translator elsewhere (the runtime's comparison threads, so a big body's
   * parse never stalls the proxy's event loop); default: here. Called only when the
   * translator has a `request` function and the body is big or coded (see
   * {@link translatesElsewhere}; a smaller plain one costs less than the hop).
   */
  translate?: (request: RequestRecord) => Promise<RequestRecord>;
  /** Gets each interim (1xx) head the candidate sends before its final one (see `sendRequest`): a candidate serving the client. */
  interim?: (h: RawHead) => void;
}

/** What the candidate was sent and what came back, or why nothing was sent. */
export type CandidateCallResult = { candidateRequest: RequestRecord; outcome: SendOutcome } | { translationError: TranslationError };

/**
 * Call the candidate: the one path for shadowing, candidate serving, replays and the
 * rollout. The candidate's Host follows its policy (the client's or its own), then
 * the route's request translator may change anything (Host included; only what it
 * changed is rebuilt, see `translateRequest`), then `x-request-id` and the marks are
 * stamped and the request is sent (`send`: `sendRequest`, or a breaker's `send`).
 * Never throws.
 *
 * @example
 * const r = await callCandidate(candidate, { translator, request, params, requestId, marks: { shadow: true } });
 * if ('outcome' in r && 'response' in r.outcome) compare(r.outcome.response);
 */
export async function callCandidate(
  up: Upstream,
  call: CandidateCall,
  send: (up: Upstream, req: RequestRecord, interim?: (h: RawHead) => void) => Promise<SendOutcome> = sendRequest,
): Promise<CandidateCallResult> {
  const headers0 = headerCopy(call.request.headers);
  headers0.host = hostFor(up, call.request.headers.host);
  headers0['x-request-id'] = call.requestId;
  const base: RequestRecord = { ...call.request, headers: headers0 };
  let translated: RequestRecord;
  try {
    // Without a request translator there is nothing to wait for (`translateRequest` would give `base` back).
    translated =
      typeof call.translator.request !== 'function'
        ? base
        : call.translate && translatesElsewhere(call.request.body?.size ?? 0, call.request.headers)
          ? await call.translate(base)
          : await translateRequest(call.translator, base, call.params, { maxDecodedBytes: call.maxDecodedBytes });
  } catch (e) {
    return { translationError: { stage: 'request', message: (e as Error).message } };
  }
  // Without a request translator `base` comes back as it went: its header map is this call's own copy already.
  const own = translated === base;
  const headers: RequestRecord['headers'] = own ? base.headers : headerCopy(translated.headers);
  headers['x-request-id'] = call.requestId;
  if (call.marks?.shadow) headers[SHADOW_HEADER] = '1';
  if (call.marks?.replay) headers[REPLAY_HEADER] = '1';
  const candidateRequest: RequestRecord = own ? base : { ...translated, headers };
  return { candidateRequest, outcome: await send(up, candidateRequest, call.interim) };
}

/**
 * A copy of a header map that keys are then added to: the same own keys, values and order as
 * `{ ...map }`. Built from `{}` (`Object.assign`), copies share V8's hidden classes as keys are
 * added; a spread copy given a new key (the shadow mark) gets a hidden class of its own, ~0.4 KB
 * per shadowed request. A map with an own `__proto__` key (a client may send that header) is
 * spread, as assigning it would set the copy's prototype instead.
 *
 * @example
 * headerCopy({ host: 'a', accept: '*\/*' }); // { host: 'a', accept: '*\/*' }, a new object
 */
export function headerCopy(map: Headers): Headers {
  return Object.hasOwn(map, '__proto__') ? { ...map } : Object.assign({}, map);
}
