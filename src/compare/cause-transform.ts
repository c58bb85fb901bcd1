/** How a legacy value turned into the candidate's: the value-level half of a difference's cause. */

import { formatDecimal, numericValue, parseDecimal, sameDecimal, subtractDecimal, type Decimal } from './decimal';
import { isLosslessNumber } from 'lossless-json';
import { canonicalKey } from './canonical-key';

/**
 * The transformations a cause can name. `detail` refines some of them (see `describeTransform`).
 *
 * @example
 * const t: CauseTransform = 'same_value_retyped'; // "12.50" against 12.5
 */
export type CauseTransform =
  | 'missing_in_candidate'
  | 'added_in_candidate'
  | 'same_value_retyped'
  | 'type_changed'
  | 'null_to_value'
  | 'value_to_null'
  | 'numeric_delta'
  | 'scaled'
  | 'case_changed'
  | 'whitespace_changed'
  | 'same_instant_reformatted'
  | 'reordered'
  | 'boolean_flipped'
  | 'status_changed'
  | 'redacted_differs'
  | 'value_changed';

/**
 * A transformation with its refinement.
 *
 * @example
 * const t: ValueTransform = { transform: 'numeric_delta', detail: '+0.01' };
 */
export interface ValueTransform {
  transform: CauseTransform;
  /** E.g. `string to number` (retyped, type changed), `+0.01` (delta), `x100` (scaled), `200 to 404` (status), a type name (null vs value). */
  detail?: string;
}

/** Arrays longer than this are not checked for "same elements, different order" (quadratic-free, but bounded anyway). */
const MAX_REORDER_CHECK = 1000;

/**
 * The JSON type of a value, with bigints and lossless-json numbers as `number`;
 * `missing` for undefined.
 *
 * @example
 * jsonType(new LosslessNumber('1')); // 'number'
 */
export function jsonType(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  // every double and bigint reads as a decimal (numericValue): only a LosslessNumber is parsed to tell
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (Array.isArray(v)) return 'array';
  if (isLosslessNumber(v) && numericValue(v) !== undefined) return 'number';
  return typeof v;
}

/**
 * Describe how `legacy` became `candidate` at a path (`$status` is treated as a status code).
 * Pure; never throws.
 *
 * @example
 * valueTransform('price', '12.50', 12.5); // { transform: 'same_value_retyped', detail: 'string to number' }
 * valueTransform('price', 12.5, 12.49); // { transform: 'numeric_delta', detail: '-0.01' }
 */
export function valueTransform(path: string, legacy: unknown, candidate: unknown): ValueTransform {
  const tl = jsonType(legacy);
  const tc = jsonType(candidate);
  if (tl === 'missing') return { transform: 'added_in_candidate' };
  if (tc === 'missing') return { transform: 'missing_in_candidate' };
  if (path === '$status') return { transform: 'status_changed', detail: `${String(legacy)} to ${String(candidate)}` };
  if (tl === 'null') return { transform: 'null_to_value', detail: emptyOrType(candidate, tc) };
  if (tc === 'null') return { transform: 'value_to_null', detail: emptyOrType(legacy, tl) };
  if (tl !== tc) {
    const detail = `${tl} to ${tc}`;
    return { transform: sameScalar(legacy, candidate) ? 'same_value_retyped' : 'type_changed', detail };
  }
  if (tl === 'number') {
    const a = numericValue(legacy);
    const b = numericValue(candidate);
    return a && b ? numberTransform(a, b) : { transform: 'value_changed' };
  }
  if (tl === 'boolean') return { transform: 'boolean_flipped' };
  if (tl === 'string') return stringTransform(legacy as string, candidate as string);
  if (tl === 'array' && sameElements(legacy as unknown[], candidate as unknown[])) return { transform: 'reordered' };
  return { transform: 'value_changed' };
}

function emptyOrType(v: unknown, type: string): string {
  if (v === '') return 'empty string';
  if (Array.isArray(v) && v.length === 0) return 'empty array';
  if (type === 'object' && Object.keys(v as object).length === 0) return 'empty object';
  return type;
}

/** Same value written as another scalar type: "12.50"/12.5, "true"/true, 1/true. */
function sameScalar(a: unknown, b: unknown): boolean {
  const text = (v: unknown): string | undefined => {
    const n = numericValue(v);
    if (n !== undefined) return `n:${formatDecimal(n)}`;
    if (typeof v === 'boolean') return `b:${v}`;
    if (typeof v !== 'string') return undefined;
    const d = parseDecimal(v);
    if (d !== undefined) return `n:${formatDecimal(d)}`;
    return v === 'true' || v === 'false' ? `b:${v}` : undefined;
  };
  const x = text(a);
  return x !== undefined && x === text(b);
}

function numberTransform(a: Decimal, b: Decimal): ValueTransform {
  if (sameDecimal(a, b)) return { transform: 'same_value_retyped', detail: 'number to number' };
  if (a.neg === b.neg && a.digits === b.digits && a.digits !== 0n) {
    const shift = b.exp - a.exp;
    if (Math.abs(shift) === 2 || Math.abs(shift) === 3)
      return { transform: 'scaled', detail: `${shift > 0 ? 'x' : '/'}${10 ** Math.abs(shift)}` };
  }
  return { transform: 'numeric_delta', detail: formatDecimal(subtractDecimal(a, b), true) };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} /;

function stringTransform(a: string, b: string): ValueTransform {
  if (a.toLowerCase() === b.toLowerCase()) return { transform: 'case_changed' };
  if (a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim()) return { transform: 'whitespace_changed' };
  const looksDate = (s: string): boolean => ISO_DATE.test(s) || HTTP_DATE.test(s);
  if (looksDate(a) && looksDate(b)) {
    const ta = Date.parse(a);
    if (Number.isFinite(ta) && ta === Date.parse(b)) return { transform: 'same_instant_reformatted' };
  }
  return { transform: 'value_changed' };
}

/** Same multiset of elements in another order. */
function sameElements(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length || a.length < 2 || a.length > MAX_REORDER_CHECK) return false;
  const counts = new Map<string, number>();
  for (const v of a) counts.set(canonicalKey(v), (counts.get(canonicalKey(v)) ?? 0) + 1);
  for (const v of b) {
    const k = canonicalKey(v);
    const n = counts.get(k);
    if (!n) return false;
    counts.set(k, n - 1);
  }
  return true;
}

/**
 * The human words for a transformation.
 *
 * @example
 * describeTransform({ transform: 'same_value_retyped', detail: 'string to number' }); // 'string to number, same value'
 */
export function describeTransform(t: ValueTransform): string {
  const d = t.detail ?? '';
  switch (t.transform) {
    case 'missing_in_candidate':
      return 'missing in candidate';
    case 'added_in_candidate':
      return 'added in candidate';
    case 'same_value_retyped':
      return d === 'number to number' ? 'same number, written differently' : `${d}, same value`;
    case 'type_changed':
      return `type changed: ${d}`;
    case 'null_to_value':
      return `null in legacy, ${d} in candidate`;
    case 'value_to_null':
      return `${d} in legacy, null in candidate`;
    case 'numeric_delta':
      return `number changed by ${d}`;
    case 'scaled':
      return `number scaled ${d}`;
    case 'case_changed':
      return 'case changed';
    case 'whitespace_changed':
      return 'whitespace changed';
    case 'same_instant_reformatted':
      return 'same instant, different date format';
    case 'reordered':
      return 'same elements, different order';
    case 'boolean_flipped':
      return 'boolean flipped';
    case 'status_changed':
      return `status ${d}`;
    case 'redacted_differs':
      return 'differs (redacted)';
    default:
      return 'value changed';
  }
}
