import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeBody,
  encodeBody,
  headerNamesOf,
  newExchangeId,
  type ExchangeRecord,
  type RequestRecord,
  type ResponseRecord,
} from '../records';
import { BodyCapture, closeUpstream, isSafeMethod } from '../upstream';
import type { CandidatePlan, CandidateServerDeps } from './candidate-plan';
import { attemptCandidate, unservable, type CandidateAttempt } from './candidate-attempt';
import { callLegacy } from './legacy-call';
import { consumedBody } from './consumed-body';
import { forwardedHeaders } from './forwarded';
import { hideCandidateAddress } from './hide-candidate';
import { relayInterim, type InterimHead } from './interim-heads';
import { readRequestBody, type BufferedBody } from './read-request-body';
import { markServedBy } from './served-metrics';
import { drainInto, pipeLegacy, writeError, writeServable } from './write-response';

/**
 * Serving from the candidate. `candidate`: the request is translated and sent to the
 * candidate; its translated response is served, so the client waits only for the
 * candidate. For reads (and writes on `mirrorWrites` routes) legacy is called in
 * parallel: if the candidate errors (connect, timeout, reset, 5xx, body over the cap)
 * or a translation fails, legacy's response is served instead (`legacy-fallback`,
 * counted per route and customer); either way the pair is queued for comparison.
 * Other writes go to the candidate only, and fall back to legacy only when the
 * candidate cannot have seen them (connect error, request translation error).
 * `candidate-only`: legacy is never called; failures answer 502/504. The candidate's
 * interim heads (`103 Early Hints`) reach the client as they come (`relayInterim`), so a
 * client of a candidate that fails after one gets legacy's final answer after it (a hint,
 * RFC 8297 section 2); legacy's own reach it only when legacy alone serves (a body over
 * the cap, a write called after the candidate failed), not from the parallel call.
 *
 * @example
 * const served = createCandidateServer({ config, candidate, legacy, translators, counters, rollout, producer, metrics, log });
 * served.serve(req, res, plan, () => proxy(req, res, next));
 */
export function createCandidateServer(rt: CandidateServerDeps): {
  serve(req: IncomingMessage, res: ServerResponse, plan: CandidatePlan, proxyToLegacy: () => void): void;
  close(): void;
} {
  const { config, counters, rollout, candidate, legacy } = rt;
  const cap = config.capture.maxBodyBytes;
  const header = config.servedByHeader;
  // Its answers are served: each keeps its head as written (reason phrase, header lines), relayed where unchanged.
  const serving = { ...candidate, keepLines: true };
  const candidateOnly = { ...serving, timeoutMs: Math.max(config.candidate.timeoutMs, config.legacy.timeoutMs) };
  const count = (p: CandidatePlan, field: string, perCustomer = false) => {
    counters.add(p.route.name, field);
    if (perCustomer) rollout.countCustomer(p.route.name, p.customer, field);
  };

  async function serve(req: IncomingMessage, res: ServerResponse, p: CandidatePlan, proxyToLegacy: () => void): Promise<void> {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    // Only the candidate may answer, and it cannot be sent a body it cannot translate.
    const refuseTooLarge = () => {
      count(p, 'skipped:too_large');
      req.resume();
      writeError(
        res,
        413,
        'payload_too_large',
        `request bodies over capture.maxBodyBytes (${cap}) cannot be translated`,
        header,
        'candidate',
      );
    };
    if (Number(req.headers['content-length'] ?? 0) > cap) {
      if (p.phase === 'candidate-only') return refuseTooLarge();
      count(p, 'skipped:too_large');
      if (header) res.setHeader(header, 'legacy');
      return proxyToLegacy();
    }
    const consumed = consumedBody(req);
    if (consumed && !Buffer.isBuffer(consumed)) {
      rt.log.error({ route: p.route.name, method }, consumed.error);
      count(p, 'skipped:body_already_read');
      return writeError(res, 500, 'body_already_read', consumed.error, header, 'candidate');
    }
    // A client gone before its body arrived has nothing to serve nor compare: counted, not lost.
    const body: BufferedBody | null = consumed
      ? { chunks: consumed.length ? [consumed] : [], size: consumed.length, complete: true }
      : await readRequestBody(req, cap).catch(() => null);
    if (!body) return void (count(p, 'skipped:client_closed'), res.destroy());
    const at = Date.now();
    const started = performance.now();
    const interim = (h: InterimHead) => relayInterim(req, res, h);
    // What both backends get: the client's request as the legacy proxy relays it (x-forwarded-*, x-request-id added).
    const legacyHead = {
      method,
      url: p.url,
      headers: { ...forwardedHeaders(req), 'x-request-id': p.requestId },
      headerNames: headerNamesOf(req.rawHeaders),
      headerLines: [...req.rawHeaders],
      // A chunked body's trailers (read with the body's end): kept only when there were some, as on the shadow path.
      ...(body.complete && req.rawTrailers.length ? { trailerLines: req.rawTrailers } : {}),
    };
    if (!body.complete) {
      if (p.phase === 'candidate-only') return refuseTooLarge();
      count(p, 'skipped:too_large');
      const out = await callLegacy(legacy, legacyHead, { chunks: body.chunks, rest: req }, interim);
      if ('error' in out)
        return writeError(res, out.error.kind === 'timeout' ? 504 : 502, 'legacy_unavailable', out.error.message, header, 'legacy');
      return void (await pipeLegacy(res, out.res, null, header, 'legacy'));
    }
    const bytes = Buffer.concat(body.chunks, body.size);
    const request: RequestRecord = {
      method,
      path: p.path,
      query: p.query,
      rawQuery: p.rawQuery,
      headers: legacyHead.headers,
      headerNames: legacyHead.headerNames,
      headerLines: legacyHead.headerLines,
      body: bytes.length ? encodeBody(bytes) : null,
      ...(legacyHead.trailerLines ? { trailerLines: legacyHead.trailerLines } : {}),
    };
    const parallel = p.phase === 'candidate' && (isSafeMethod(method) || p.route.mirrorWrites);
    let legacyCall = parallel ? callLegacy(legacy, legacyHead, { chunks: body.chunks }) : null;
    // Called only now (a write the candidate failed before seeing it), legacy serves: its interim heads reach the client.
    const legacyOnce = () => (legacyCall ??= callLegacy(legacy, legacyHead, { chunks: body.chunks }, interim));

    const a = await attemptCandidate(rt.translators.forRoute(p.route.name), p.phase === 'candidate' ? serving : candidateOnly, request, {
      params: p.params,
      route: p.route.name,
      requestId: p.requestId,
      // The candidate's interim heads (103 Early Hints) reach the client as it wrote them, as legacy's do.
      interim,
      serve5xx: p.phase === 'candidate-only' || !parallel,
      maxDecodedBytes: cap,
      translate: rt.translateRequest && ((r: RequestRecord) => rt.translateRequest!(p.route.name, r, p.params, cap)),
      // Given up after the candidate's own timeout: the client waits at most that again for its translation.
      translateResponse:
        rt.translateResponse &&
        ((r: ResponseRecord) =>
          rt.translateResponse!(p.route.name, r, {
            request,
            params: p.params,
            maxDecodedBytes: cap,
            timeoutMs: rt.config.candidate.timeoutMs,
          })),
    });
    const { served, failure } = a;
    const draft = {
      id: newExchangeId(at, p.route.name),
      route: p.route.name,
      customer: p.customer,
      at,
      requestId: p.requestId,
      request,
      params: p.params,
      candidateRequest: a.candidateRequest,
      candidate: a.candidate,
      candidateError: failure?.candidateError,
      translationError: failure?.translationError,
    };

    if (served) {
      writeServable(res, { ...served, headers: hideCandidateAddress(served.headers, candidate.url, req) }, header, 'candidate', head);
      markServedBy(req, 'candidate');
      count(p, 'served:candidate', true);
      if (!legacyCall) return p.phase === 'candidate' ? count(p, 'skipped:write') : undefined;
      const out = await legacyCall;
      if ('error' in out) return count(p, 'skipped:legacy_error');
      const capture = new BodyCapture(cap);
      if (await drainInto(out.res, capture))
        enqueue(p, { ...draft, servedBy: 'candidate', legacy: legacyRecord(out.res, capture, started) });
      else count(p, 'skipped:legacy_error');
      return;
    }
    const canFallBack =
      p.phase === 'candidate' &&
      (parallel || failure?.translationError?.stage === 'request' || failure?.candidateError?.kind === 'connect');
    if (!failure || !canFallBack) return failOnly(req, res, p, failure, a, head);
    count(p, 'fallback', true);
    count(p, `fallback:${failure.reason}`);
    const out = await legacyOnce();
    if ('error' in out) {
      count(p, 'skipped:legacy_error');
      return writeError(
        res,
        out.error.kind === 'timeout' ? 504 : 502,
        'no_backend',
        `candidate: ${failure.reason}; legacy: ${out.error.message}`,
        header,
        'legacy-fallback',
      );
    }
    const capture = new BodyCapture(cap);
    const piped = await pipeLegacy(res, out.res, capture, header, 'legacy-fallback');
    if (piped === 'ended') enqueue(p, { ...draft, servedBy: 'legacy-fallback', legacy: legacyRecord(out.res, capture, started) });
    else count(p, `skipped:${piped}`);
  }

  /** No fallback: serve the candidate's own answer, or a 502/504 saying what failed. */
  function failOnly(
    req: IncomingMessage,
    res: ServerResponse,
    p: CandidatePlan,
    f: CandidateAttempt['failure'],
    a: CandidateAttempt,
    head: boolean,
  ): void {
    count(p, 'candidate_failed', true);
    const rec = a.candidate;
    if (rec && !rec.body?.truncated && f?.reason !== 'translation_error' && unservable(rec) === null) {
      return writeServable(
        res,
        {
          status: rec.status,
          headers: hideCandidateAddress(rec.headers, candidate.url, req),
          headerNames: rec.headerNames,
          body: decodeBody(rec.body),
          ...(a.lines ? { wire: { lines: a.lines, headers: rec.headers }, trailers: true } : {}),
        },
        header,
        'candidate',
        head,
      );
    }
    const status = f?.candidateError?.kind === 'timeout' ? 504 : 502;
    writeError(
      res,
      status,
      `candidate_${f?.reason ?? 'error'}`,
      f?.translationError?.message ?? f?.candidateError?.message ?? 'the candidate gave no usable response',
      header,
      'candidate',
    );
  }

  function enqueue(p: CandidatePlan, ex: ExchangeRecord): void {
    if (ex.request.body?.truncated) return;
    // a request translator's failure never reached the candidate: counted on its own, like the shadow path does
    count(p, ex.translationError?.stage === 'request' ? 'untranslated' : 'shadowed');
    if (ex.candidate) rt.metrics?.candidateLatency(ex.route, ex.candidate.durationMs);
    rt.producer.enqueue(ex); // redacted by the producer before it reaches Redis
  }

  return {
    serve(req, res, plan, proxyToLegacy) {
      serve(req, res, plan, proxyToLegacy).catch((e: Error) => {
        rt.log.warn({ err: e.message, route: plan.route.name }, 'serving from the candidate failed');
        writeError(res, 502, 'tandem_error', 'the request could not be served', header, 'candidate');
      });
    },
    close() {
      closeUpstream(candidate);
      closeUpstream(legacy);
    },
  };
}

function legacyRecord(res: IncomingMessage, capture: BodyCapture, started: number): ResponseRecord {
  return {
    status: res.statusCode ?? 0,
    headers: { ...res.headers },
    headerNames: headerNamesOf(res.rawHeaders),
    body: capture.record(),
    durationMs: performance.now() - started,
  };
}
