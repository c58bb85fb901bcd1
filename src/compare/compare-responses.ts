import type { CompareRules } from '../config';
import { tooDeepReason, type ComparisonResult } from '../records';
import { classify, type RefusedBody } from './classify-result';
import { compileRules, type CompiledRules } from './compile-rules';
import { bodiesEqual, diffBodies, sameRawBody } from './diff-bodies';
import { diffBudget, DiffBudgetExceeded, MAX_DIFF_OPERATIONS, MAX_FOUND_DIFFERENCES } from './diff-context';
import { diffHeaders } from './diff-headers';
import { diffLocation } from './diff-location';
import type { FoundDifference } from './found-difference';
import { subtractNoise } from './noise';
import { subtractKnownNoise } from './known-noise';
import { encodingDifferences, type TextEncoding } from './text-encoding';
import type { NormalisedBody, NormalisedResponse } from './types';

/** How the reason of a body refused for its depth begins. */
const TOO_DEEP = 'body nested too deeply to compare: ';

/**
 * Options of compareResponses.
 *
 * @example
 * const opts: CompareOptions = { rules: { ignore: ['**.requestId'] }, legacyRepeat };
 */
export interface CompareOptions {
  /** Merged compare rules of the route. */
  rules: CompareRules;
  /** A second legacy response to the same request: what differs between the two is noise. */
  legacyRepeat?: NormalisedResponse;
  /** Hosts (`host[:port]`) the backends were addressed as: a redirect to one of them is a redirect to the same site. */
  selfHosts?: readonly string[];
  /** Differences a result keeps (default MAX_DIFFERENCES); the rest are counted in `omittedDifferences`. */
  maxDifferences?: number;
  /** Operations a body diff may spend (default MAX_DIFF_OPERATIONS); beyond it the result is `too_large`, with a reason saying so. */
  maxDiffOperations?: number;
}

/** Differences a result keeps by default (`retention.maxDifferences`); the rest are only counted. */
export const MAX_DIFFERENCES = 1000;

/**
 * Compare legacy (left) with candidate (right) under the route's rules.
 *
 * Order: a candidate 5xx where legacy was not 5xx is `candidate_error`; a status change
 * is one difference, `$status` (high risk), whatever the bodies (both are stored beside
 * it); on a redirect (3xx) `location` is compared as a URL; equal bodies (same raw bytes
 * or deep-equal values) skip all body diff work, and the same raw bytes (`raw`) are not
 * even read (a lazily parsed body stays unparsed); a body that is too large or
 * unparseable on either side gives that class; differences that
 * `legacyRepeat` shows too are subtracted as noise, then those at `noise` rule paths
 * (hand-marked or learned noise), as `noise_only` when nothing is left. A body diff
 * that would spend more than `maxDiffOperations` stops and the result is `too_large`
 * with a reason saying so; a result keeps `maxDifferences` differences and counts the
 * rest in `omittedDifferences`.
 *
 * @example
 * const r = compareResponses(legacy, candidate, { rules: { ignore: ['meta.**'], arrayKeys: { items: 'id' } } });
 * r.class; // 'mismatch'
 * r.differences[0]; // { path: 'items[id=7].price', kind: 'changed', legacy: 10, candidate: 12 }
 * r.signature; // 'items[*].price'
 */
export function compareResponses(legacy: NormalisedResponse, candidate: NormalisedResponse, opts: CompareOptions): ComparisonResult {
  if (candidate.status >= 500 && legacy.status < 500) {
    return {
      class: 'candidate_error',
      differences: [{ path: '$status', kind: 'changed', legacy: legacy.status, candidate: candidate.status }],
      noise: [],
      suspectedNoise: [],
      reason: `candidate answered ${candidate.status} where legacy answered ${legacy.status}`,
    };
  }
  const rules = compileRules(opts.rules);
  const selfHosts = opts.selfHosts ?? [];
  const limits = { maxDiffOperations: opts.maxDiffOperations };
  const { found, refused, omitted } = collectDifferences(legacy, candidate, rules, selfHosts, limits);
  let counted = found;
  let cancelled: string[] = [];
  const repeat = opts.legacyRepeat;
  if (found.length > 0 && repeat && repeat.status === legacy.status && repeat.body.kind === legacy.body.kind) {
    ({ counted, cancelled } = subtractNoise(found, collectDifferences(legacy, repeat, rules, selfHosts, limits).found));
  }
  if (counted.length > 0 && rules.hasNoise) ({ counted, cancelled } = subtractKnownNoise(counted, cancelled, rules.noisy));
  // Differences past the differ's own cap were counted, not kept, nor checked for noise: never a match.
  if (omitted > 0 && counted.length === 0 && !refused) {
    return classify([], cancelled, {
      class: 'too_large',
      reason: `more than ${MAX_FOUND_DIFFERENCES.toLocaleString('en-US')} differences, the kept ones all noise; the other ${omitted.toLocaleString('en-US')} were not examined`,
    });
  }
  return capDifferences(classify(counted, cancelled, refused), opts.maxDifferences ?? MAX_DIFFERENCES, omitted);
}

/**
 * Keep the first `max` differences of a result and count the rest (with those the differ
 * counted without keeping) in `omittedDifferences`; the report says "and N more".
 *
 * @example
 * capDifferences(result, 1000, 0).differences.length; // at most 1000
 */
export function capDifferences(result: ComparisonResult, max: number, alsoOmitted = 0): ComparisonResult {
  const over = Math.max(0, result.differences.length - max) + alsoOmitted;
  if (over === 0) return result;
  return { ...result, differences: result.differences.slice(0, max), omittedDifferences: over };
}

/**
 * Status, header, text-encoding (`$charset`, `$bom`) and body differences of two
 * responses (no noise handling), and the
 * refusal when a body could not be compared (too large, unparseable, or nested too
 * deeply for the recursive differ).
 *
 * @example
 * collectDifferences(legacy, candidate, compileRules({})).found.map((d) => d.path); // ['$status', 'price']
 */
export function collectDifferences(
  a: NormalisedResponse,
  b: NormalisedResponse,
  rules: CompiledRules,
  selfHosts: readonly string[] = [],
  limits: { maxDiffOperations?: number } = {},
): { found: FoundDifference[]; refused?: RefusedBody; omitted: number } {
  // a status change is one difference: a 404's body against a 200's is not a list of field changes
  if (a.status !== b.status) {
    return {
      found: [{ area: 'status', segments: ['$status'], path: '$status', kind: 'changed', legacy: a.status, candidate: b.status }],
      refused: refusedBody(a, b),
      omitted: 0,
    };
  }
  const found: FoundDifference[] = [];
  const redirect = a.status >= 300 && a.status < 400;
  for (const d of diffHeaders(a.headers, b.headers, rules)) if (!redirect || d.path !== '$headers.location') found.push(d);
  if (redirect) for (const d of diffLocation(a.headers, b.headers, rules, selfHosts)) found.push(d);
  // The same bytes read the same way are the same body in the same encoding: neither body is read (nor parsed).
  if (sameRawBody(a, b)) return { found, omitted: 0 };
  for (const d of encodingDifferences(encodingOf(a.body), encodingOf(b.body))) {
    if (!rules.ignored([d.path])) found.push({ ...d, area: 'body', segments: [d.path] });
  }
  const budget = diffBudget(limits.maxDiffOperations ?? MAX_DIFF_OPERATIONS);
  try {
    if (bodiesEqual(a, b)) return { found, omitted: 0 };
    const refused = refusedBody(a, b);
    if (refused) return { found, refused, omitted: 0 };
    for (const d of diffBodies(a.body, b.body, rules, budget)) found.push(d);
    return { found, omitted: budget.omitted };
  } catch (e) {
    // Bodies whose diff would run past its budget are classified, not computed forever.
    if (e instanceof DiffBudgetExceeded) return { found, refused: { class: 'too_large', reason: e.reason }, omitted: 0 };
    // The differ recurses; a pathologically deep document must not crash the worker.
    if (!(e instanceof RangeError)) throw e;
    return { found, refused: { class: 'unparseable', reason: `${TOO_DEEP}${e.message}` }, omitted: 0 };
  }
}

/**
 * Why two bodies cannot be compared: too_large before unparseable, legacy before candidate.
 *
 * @example
 * refusedBody(legacy, { ...candidate, body: { kind: 'unparseable', reason: 'invalid JSON: ...' } });
 * // { class: 'unparseable', reason: 'candidate body: invalid JSON: ...' }
 */
export function refusedBody(a: NormalisedResponse, b: NormalisedResponse): RefusedBody | undefined {
  for (const cls of ['too_large', 'unparseable'] as const) {
    for (const [side, r] of [
      ['legacy', a],
      ['candidate', b],
    ] as const) {
      const body = r.body;
      if (body.kind === 'too_large' && cls === 'too_large') {
        return { class: cls, reason: `${side} body: ${body.reason ?? `${body.size} bytes, too large to compare`}` };
      }
      if (body.kind === 'unparseable' && cls === 'unparseable') {
        return {
          class: cls,
          reason: body.reason === tooDeepReason() ? `${TOO_DEEP}${side} body: ${body.reason}` : `${side} body: ${body.reason}`,
        };
      }
    }
  }
  return undefined;
}

const PLAIN_UTF8: TextEncoding = { charset: 'utf-8', declared: false };

/** A textual body's encoding (plain UTF-8 when it names none); undefined for other kinds. */
function encodingOf(body: NormalisedBody): TextEncoding | undefined {
  return body.kind === 'json' || body.kind === 'form' || body.kind === 'text' ? (body.encoding ?? PLAIN_UTF8) : undefined;
}
