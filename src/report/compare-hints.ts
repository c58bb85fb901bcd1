import { comparedHeaderNames } from '../compare';
import type { CompareRules } from '../config';
import type { Headers } from '../records';

/**
 * What the comparison of a stored exchange counted, so the mismatch page can fold
 * the rest instead of highlighting it like a real difference: the headers compared
 * (content-type by media type only), and the ignore and noise patterns in force
 * (configured, added in the report, learned), and whether fields only the candidate has
 * count (`allowAdded`).
 *
 * @example
 * const hints: CompareHints = { comparedHeaders: ['content-type'], mediaTypeOnly: ['content-type'], ignore: ['meta.**'], noise: ['ts'], unordered: [], allowAdded: true };
 */
export interface CompareHints {
  comparedHeaders: string[];
  /** Headers compared by media type only (charset and other parameters not compared). */
  mediaTypeOnly: string[];
  ignore: string[];
  noise: string[];
  unordered: string[];
  /** Fields only the candidate has are not counted (the comparison's `allowAdded`, on by default); array elements always are. */
  allowAdded: boolean;
}

/**
 * The hints for one exchange under the route's current rules.
 *
 * @example
 * compareHints({ headers: ['content-type'] }, legacy.headers, candidate.headers);
 */
export function compareHints(rules: CompareRules, legacy: Headers, candidate: Headers | undefined): CompareHints {
  const comparedHeaders = comparedHeaderNames(rules.headers ?? ['content-type'], legacy, candidate ?? {});
  return {
    comparedHeaders,
    mediaTypeOnly: comparedHeaders.includes('content-type') ? ['content-type'] : [],
    ignore: [...(rules.ignore ?? [])],
    noise: [...(rules.noise ?? [])],
    unordered: [...(rules.unordered ?? [])],
    allowAdded: rules.allowAdded ?? true,
  };
}
