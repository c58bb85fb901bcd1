/**
 * The safe methods of RFC 9110 section 9.2.1: GET, HEAD, OPTIONS, TRACE. Only these
 * are mirrored to the candidate and repeated to legacy by default; writes (any other
 * method) only on routes with `mirrorWrites`. The one definition used everywhere.
 */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether a method is safe (RFC 9110 section 9.2.1); methods are case-sensitive.
 *
 * @example
 * isSafeMethod('OPTIONS'); // true
 * isSafeMethod('POST'); // false
 */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}
