import type { Headers } from '../records';

/** One media-type function for all of Tandem (case-insensitive, RFC 9110 section 8.3.1). */
export { mediaType } from '../records';

/**
 * A header as one string: repeated values joined with `, `; undefined when absent.
 * Names are looked up lower-case, as Node stores them.
 *
 * @example
 * headerString({ vary: ['accept', 'origin'] }, 'vary'); // 'accept, origin'
 */
export function headerString(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}
