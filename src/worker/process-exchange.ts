import type { CompareRules } from '../config';
import type { ComparisonResult, ExchangeRecord, TranslationError } from '../records';
import { capturedTooLargeReason, headerValue, plainJson } from '../records';
import {
  compareResponses,
  fromTranslated,
  generalisePath,
  normaliseResponse,
  normalisePair,
  legacyNoisePaths,
  type NormalisedResponse,
} from '../compare';
import { toTranslatableRequest, translateResponse, type TranslatorRegistry } from '../translate';
import type { RecordExtra } from '../store';
import { causesOf } from './difference-causes';
import { containsFingerprint, type Redactor } from '../redact';

/** What processing an exchange needs, and nothing more. */
export interface ProcessDeps {
  translators: TranslatorRegistry;
  rulesFor(route: string): Promise<CompareRules> | CompareRules;
  maxDecompressedBytes: number;
  /**
   * Redacts the response translator's output before it is compared or stored (a translator
   * may move a value to a secret path); the exchange itself arrives redacted.
   */
  redact?: Pick<Redactor, 'translated'>;
  /** Differences kept per result (`retention.maxDifferences`) and the body diff's operation budget (`worker.maxDiffOperations`); see `compareLimits`. */
  limits?: { maxDifferences?: number; maxDiffOperations?: number };
}

/**
 * The comparison's bounds from the config: differences kept per result and the body
 * diff's operation budget (either may be missing in a partial config: the defaults apply).
 *
 * @example
 * compareLimits(config); // { maxDifferences: 1000, maxDiffOperations: 1000000 }
 */
export function compareLimits(config: {
  retention?: { maxDifferences?: number };
  worker?: { maxDiffOperations?: number };
}): NonNullable<ProcessDeps['limits']> {
  return { maxDifferences: config.retention?.maxDifferences, maxDiffOperations: config.worker?.maxDiffOperations };
}

/** The result of one exchange and what the store keeps beside it (`RecordExtra`: paths, causes, the translated candidate). */
export interface ProcessedExchange extends RecordExtra {
  result: ComparisonResult;
  /** Set when the response translator failed: stored on the exchange (see `recordedExchange`), as a request-stage error is. */
  translationError?: TranslationError;
}

/**
 * The exchange as it is stored after processing: with the response translator's error, if
 * it failed, so its message is kept beside the exchange like a request translator's.
 *
 * @example
 * await store.record(recordedExchange(ex, out), out.result, out);
 */
export function recordedExchange(ex: ExchangeRecord, out: ProcessedExchange): ExchangeRecord {
  return out.translationError ? { ...ex, translationError: out.translationError } : ex;
}

/**
 * Derive the comparison result of one exchange: classify errors, normalise both
 * responses, run the response translator on the candidate's, compare under the
 * route's rules. Pure apart from the translator; used by the worker and by rediff.
 *
 * @example
 * const { result } = await processExchange(exchange, { translators, rulesFor: () => ({}), maxDecompressedBytes: 8 << 20 });
 */
export async function processExchange(ex: ExchangeRecord, deps: ProcessDeps): Promise<ProcessedExchange> {
  const only = (result: ComparisonResult): ProcessedExchange => ({ result, fieldPaths: [], noisePaths: [] });
  // A request translator's failure is final; a response translator's (stored by an earlier run) is tried again.
  if (ex.translationError && ex.translationError.stage !== 'response')
    return only(errorResult('translation_error', `${ex.translationError.stage} translator: ${ex.translationError.message}`));
  const overCap = capturedTooLargeReason(ex);
  if (overCap) return only(errorResult('too_large', overCap));
  if (ex.candidateError) {
    const cls = ex.candidateError.kind === 'too_large' ? 'too_large' : 'candidate_error';
    return only(errorResult(cls, `${ex.candidateError.kind}: ${ex.candidateError.message}`));
  }
  if (!ex.candidate) return only(errorResult('candidate_error', 'no candidate response'));
  const opts = { maxDecompressedBytes: deps.maxDecompressedBytes };
  const translator = deps.translators.forRoute(ex.route);
  // A candidate answering legacy's bytes shares legacy's body, parsed only if something reads it (a
  // comparison of the two does not), unless a translator will be handed it.
  const pair = translator.response
    ? [normaliseResponse(ex.legacy, opts), normaliseResponse(ex.candidate, opts)]
    : normalisePair(ex.legacy, ex.candidate, opts);
  const legacy = pair[0];
  let candidate = pair[1];
  let translatedCandidate: ProcessedExchange['translatedCandidate'];
  if (translator.response && hasValue(candidate)) {
    try {
      // The same view of the client's request as in the candidate phase (raw URL and query, params, parsed body).
      const request = toTranslatableRequest(ex.request, ex.params);
      const translated = await translateResponse(
        translator,
        { status: candidate.status, headers: candidate.headers, body: bodyValue(candidate) },
        { request, route: ex.route },
      );
      // A translator may move a value to a secret path: its output is redacted like the exchange.
      const out = deps.redact ? deps.redact.translated(translated) : translated;
      // stored as JSON: exact numbers past a double's precision are kept as their digits
      translatedCandidate = { status: out.status, headers: out.headers, body: plainJson(out.body) };
      candidate = fromTranslated(out, candidate);
    } catch (e) {
      const message = (e as Error).message;
      return {
        ...only(errorResult('translation_error', `response translator: ${message}`)),
        translationError: { stage: 'response', message },
      };
    }
  }
  const legacyRepeat = ex.legacyRepeat ? normaliseResponse(ex.legacyRepeat, opts) : undefined;
  const rules = await deps.rulesFor(ex.route);
  // the Host each backend was addressed as: an absolute redirect back to it is a redirect to the same site
  const selfHosts = [
    headerValue(ex.request.headers, 'host'),
    ex.candidateRequest && headerValue(ex.candidateRequest.headers, 'host'),
  ].filter((h): h is string => !!h);
  const result = markRedacted(compareResponses(legacy, candidate, { rules, legacyRepeat, selfHosts, ...deps.limits }));
  const repeatPaths = legacyRepeat ? legacyNoisePaths(legacy, legacyRepeat, rules) : undefined;
  return {
    result,
    // The field tree counts mismatches only, as its examples list them: a candidate 5xx's `$status`
    // (a candidate_error, counted under errors) is no field that differed.
    fieldPaths: result.class === 'mismatch' ? unique(result.differences.map((d) => generalisePath(d.path))) : [],
    noisePaths: result.noise.length ? unique(result.noise.map(generalisePath)) : [],
    suspectedPaths: result.suspectedNoise.length ? unique(result.suspectedNoise.map(generalisePath)) : [],
    ...(repeatPaths ? { repeatPaths } : {}),
    ...(result.class === 'mismatch' ? { causes: causesOf(result.differences) } : {}),
    translatedCandidate,
  };
}

/** How the reason of a comparison that threw begins. */
export const FAILED_PREFIX = 'comparison failed: ';

/**
 * The result of an exchange whose comparison (or record) threw: classified, so it is
 * counted once like any other and never fails the exchanges packed with it: `unparseable`
 * (as a body too deep to compare is), the reason carrying the error's message.
 *
 * @example
 * failedComparison(new RangeError('Maximum call stack size exceeded')).result.class; // 'unparseable'
 */
export function failedComparison(err: unknown): ProcessedExchange {
  const e = err instanceof Error ? err : new Error(String(err));
  return { result: errorResult('unparseable', `${FAILED_PREFIX}${e.name}: ${e.message.slice(0, 300)}`), fieldPaths: [], noisePaths: [] };
}

function errorResult(cls: ComparisonResult['class'], reason: string): ComparisonResult {
  return { class: cls, differences: [], noise: [], suspectedNoise: [], reason };
}

function hasValue(r: NormalisedResponse): boolean {
  return ['json', 'form', 'text', 'empty'].includes(r.body.kind);
}

function bodyValue(r: NormalisedResponse): unknown {
  const b = r.body;
  return b.kind === 'json' || b.kind === 'form' || b.kind === 'text' ? b.value : undefined;
}

/** Differences of redacted values are flagged, so every reader says "differs (redacted)". */
function markRedacted(result: ComparisonResult): ComparisonResult {
  for (const d of result.differences) if (mentionsFingerprint(d.legacy) || mentionsFingerprint(d.candidate)) d.redacted = true;
  return result;
}

// a number, boolean or null never holds one: only strings and the JSON of objects are searched
const mentionsFingerprint = (v: unknown) =>
  typeof v === 'string' ? containsFingerprint(v) : typeof v === 'object' && v !== null && containsFingerprint(JSON.stringify(v));

const unique = (xs: string[]) => [...new Set(xs)];
