/**
 * Concrete paths into a response: `items[3].price`, `items[id=7].price`,
 * `$headers.content-type`, `$status`. The root of a body is written `$body`.
 */

/**
 * An array element selected by a key field: written `[id=7]`.
 *
 * @example
 * const seg: KeyedSegment = { key: 'id', value: '7' }; // formatPath(['items', seg]) === 'items[id=7]'
 */
export interface KeyedSegment {
  readonly key: string;
  readonly value: string;
}

/**
 * One step of a concrete path: object key, array index, or keyed array element.
 *
 * @example
 * const segs: PathSegment[] = ['items', 3, { key: 'id', value: '7' }];
 */
export type PathSegment = string | number | KeyedSegment;

/**
 * How the root of a body is written.
 *
 * @example
 * formatPath([]); // '$body'
 */
export const ROOT_PATH = '$body';

/**
 * Keys written bare after a dot; others are quoted `["..."]`.
 *
 * @example
 * SIMPLE_KEY.test('content-type'); // true
 * SIMPLE_KEY.test('a.b'); // false
 */
export const SIMPLE_KEY = /^[\w$-]+$/;
const SIMPLE_VALUE = /^[\w$.:@-]+$/;

const quoteIfNeeded = (s: string, simple: RegExp): string => (simple.test(s) ? s : JSON.stringify(s));

/**
 * Write path segments in the readable `a.b[3].c` form; `generalise` turns indices and
 * keyed selectors into `[*]`.
 *
 * @example
 * formatPath(['items', 3, 'price']); // 'items[3].price'
 * formatPath(['items', { key: 'id', value: '7' }, 'price']); // 'items[id=7].price'
 * formatPath(['items', 3], true); // 'items[*]'
 */
export function formatPath(segments: readonly PathSegment[], generalise = false): string {
  if (segments.length === 0) return ROOT_PATH;
  let out = '';
  for (const s of segments) {
    if (typeof s === 'string') {
      out += SIMPLE_KEY.test(s) ? (out ? '.' : '') + s : `[${JSON.stringify(s)}]`;
    } else if (generalise) {
      out += '[*]';
    } else if (typeof s === 'number') {
      out += `[${s}]`;
    } else {
      out += `[${quoteIfNeeded(s.key, SIMPLE_KEY)}=${quoteIfNeeded(s.value, SIMPLE_VALUE)}]`;
    }
  }
  return out;
}
