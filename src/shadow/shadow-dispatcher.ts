import { bodyBytes, dropReason, sameBytesBody, type ExchangeRecord, type RequestRecord, type ResponseRecord } from '../records';
import type { RouteRequestTranslation, TranslatorRegistry } from '../translate';
import {
  callCandidate,
  CandidateBreaker,
  closeUpstream,
  hostFor,
  isSafeMethod,
  sendRequest,
  SHADOW_HEADER,
  type Upstream,
} from '../upstream';

/** What the ingress knows once legacy has answered. */
export type ExchangeDraft = Omit<ExchangeRecord, 'candidate' | 'candidateRequest' | 'candidateError' | 'translationError' | 'legacyRepeat'>;

export interface ShadowOptions {
  candidate: Upstream;
  /** Second legacy for noise cancellation, used on a `repeatRate` share of safe requests. */
  legacyRepeat?: Upstream;
  repeatRate: number;
  maxInFlight: number;
  /**
   * Body bytes the shadows in flight may hold, counted at dispatch as the request's body
   * plus twice legacy's (legacy's answer, and the candidate's expected to be alike; each is
   * captured up to `capture.maxBodyBytes`); default unbounded.
   */
  maxInFlightBytes?: number;
  /** `capture.maxBodyBytes`: no body is decompressed past it for the request translator (in the proxy process). */
  maxBodyBytes?: number;
  translators: TranslatorRegistry;
  /**
   * Runs a route's request translator off the proxy's thread (the runtime's comparison
   * threads) for big request bodies (see `CandidateCall.translate`); default: on it.
   */
  translateRequest?: RouteRequestTranslation;
  /** Redacts and queues an exchange; may throw (a body too deep to redact): the exchange is then dropped and counted. */
  enqueue(exchange: ExchangeRecord): void;
  count(route: string, field: string): void;
  /** Told of every exchange dropped because `enqueue` threw (after it was counted). */
  onDropError?(route: string, err: Error): void;
}

/**
 * Sends the shadow copy of an exchange to the candidate after the client has its
 * response, then hands the whole exchange to the queue. Fire and forget: it never
 * throws, and at most `maxInFlight` shadow requests holding at most `maxInFlightBytes` of
 * bodies run at once (excess is counted as `dropped:candidate_busy`; one is always let
 * through when none runs), so a slow candidate cannot pile up sockets or memory.
 * Each dispatched exchange is counted once as `shadowed` (sent to the candidate) or
 * `untranslated` (its request translator failed, so the candidate never saw it; it is
 * still queued and ends as a `translation_error` result).
 * Whatever throws on the way (translator helpers, redaction, queueing) ends the
 * exchange as `dropped:<reason>` (the error's own `reason`, else `internal_error`), never as an
 * exception or an unhandled rejection reaching the process.
 *
 * @example
 * const shadow = new ShadowDispatcher({ candidate, repeatRate: 0, maxInFlight: 64, translators, enqueue, count });
 * shadow.dispatch(draft);
 */
export class ShadowDispatcher {
  private inFlight = 0;
  private heldBytes = 0;
  private idleWaiters: (() => void)[] = [];
  /** Stops dialling a candidate that refuses connections (each exchange is still recorded as a connect error). */
  private readonly breaker = new CandidateBreaker();

  constructor(private readonly o: ShadowOptions) {}

  get active(): number {
    return this.inFlight;
  }

  dispatch(draft: ExchangeDraft): void {
    if (draft.request.body?.truncated || draft.legacy.body?.truncated) {
      // Too large to compare: recorded with size and hash, the candidate is not called.
      this.hand(draft);
      return;
    }
    const bytes = (draft.request.body?.size ?? 0) + 2 * (draft.legacy.body?.size ?? 0);
    if (this.inFlight >= this.o.maxInFlight || (this.inFlight > 0 && this.heldBytes + bytes > (this.o.maxInFlightBytes ?? Infinity)))
      return this.o.count(draft.route, 'dropped:candidate_busy');
    this.inFlight++;
    this.heldBytes += bytes;
    // One of `shadowed` (the candidate was called) or `untranslated` (the request translator
    // failed: the candidate never saw it), counted once the translator has run.
    let counted = false;
    const reached = (field: 'shadowed' | 'untranslated') => {
      if (!counted) this.o.count(draft.route, field);
      counted = true;
    };
    this.run(draft, reached)
      .catch((e: Error) => {
        reached('shadowed');
        this.hand({ ...draft, candidateError: { kind: 'protocol', message: `shadow failed: ${e.message}` } });
      })
      .finally(() => {
        this.heldBytes -= bytes;
        if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
  }

  /** Queue an exchange; never throws: an exchange that cannot be queued is dropped and counted by reason. */
  private hand(exchange: ExchangeRecord): void {
    try {
      this.o.enqueue(exchange);
    } catch (e) {
      this.o.count(exchange.route, `dropped:${dropReason(e)}`);
      this.o.onDropError?.(exchange.route, e as Error);
    }
  }

  /** Close idle upstream sockets (after `idle()`). */
  close(): void {
    closeUpstream(this.o.candidate);
    if (this.o.legacyRepeat) closeUpstream(this.o.legacyRepeat);
  }

  /** Resolves when no shadow request is in flight. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private async run(draft: ExchangeDraft, reached: (field: 'shadowed' | 'untranslated') => void): Promise<void> {
    const elsewhere = this.o.translateRequest;
    const call = {
      translator: this.o.translators.forRoute(draft.route),
      request: draft.request,
      params: draft.params,
      requestId: draft.requestId,
      marks: { shadow: true },
      maxDecodedBytes: this.o.maxBodyBytes,
      translate: elsewhere && ((req: RequestRecord) => elsewhere(draft.route, req, draft.params, this.o.maxBodyBytes)),
    };
    const sent = callCandidate(this.o.candidate, call, (up, req) => this.breaker.send(up, req));
    // The repeat runs beside the candidate's call; without one there is nothing to wait for beside it.
    const repeating = this.repeats(draft) ? this.repeat(draft) : undefined;
    const [r, legacyRepeat] = repeating ? await Promise.all([sent, repeating]) : [await sent, undefined];
    reached('translationError' in r ? 'untranslated' : 'shadowed');
    if ('translationError' in r)
      return this.hand({ ...draft, translationError: r.translationError, ...(legacyRepeat ? { legacyRepeat } : {}) });
    const { candidateRequest, outcome } = r;
    // The draft is this exchange's own: it becomes the record (no copy of it held beside it until queued).
    const exchange: ExchangeRecord = draft;
    exchange.candidateRequest = candidateRequest;
    if ('response' in outcome) exchange.candidate = sharingLegacyBytes(outcome.response, draft.legacy);
    else exchange.candidateError = outcome.error;
    if (legacyRepeat) exchange.legacyRepeat = legacyRepeat;
    this.hand(exchange);
  }

  /** Whether this exchange gets a second legacy response (a `repeatRate` share of safe requests, when a repeat upstream is set). */
  private repeats(draft: ExchangeDraft): boolean {
    return !!this.o.legacyRepeat && this.o.repeatRate > 0 && Math.random() < this.o.repeatRate && isSafeMethod(draft.request.method);
  }

  /**
   * A second legacy response for noise cancellation; only for safe methods. The
   * repeat is the client's request as legacy got it (same bytes, names, order), under
   * legacy's Host policy, plus the shadow marker.
   */
  private async repeat(draft: ExchangeDraft): Promise<ResponseRecord | undefined> {
    const up = this.o.legacyRepeat!;
    const headers = {
      ...draft.request.headers,
      host: hostFor(up, draft.request.headers.host),
      [SHADOW_HEADER]: '1',
      'x-request-id': draft.requestId,
    };
    const out = await sendRequest(up, { ...draft.request, headers });
    return 'response' in out ? out.response : undefined;
  }
}

/**
 * The candidate's response, its body holding legacy's bytes when they are byte-equal (the
 * usual match): the candidate's own copy is let go as it arrives instead of being held,
 * beside legacy's, until the exchange is queued (the queue sends equal bytes once anyway).
 */
function sharingLegacyBytes(response: ResponseRecord, legacy: ResponseRecord): ResponseRecord {
  const bytes = bodyBytes(response.body);
  const shared = bytes && bytes.length === legacy.body?.size ? sameBytesBody(legacy.body, bytes) : null;
  if (shared) response.body = shared;
  return response;
}
