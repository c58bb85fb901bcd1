/**
 * How deep a JSON document from outside may nest before Tandem refuses to build a tree
 * of it. Every walk over parsed bodies (redaction, translation helpers, diff, deep-equal,
 * hashing, normalisation) recurses once per level; 256 levels keep all of them far from
 * the stack limit (about 10,000 frames), while real API payloads rarely pass 20.
 * (serde_json refuses past 128; Tandem is a little more lenient.)
 */
export const MAX_JSON_DEPTH = 256;

/** JSON's structural bytes, read by the byte scanners (`jsonTooDeep`, `scanJson`). */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_ARRAY = 0x5b;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_ARRAY = 0x5d;
export const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text nests deeper than `max` arrays and objects, found by one pass over
 * the bytes (no parsing, no recursion, no allocation; strings and escapes are skipped).
 * Call it before `JSON.parse` (or any recursive parser) on bytes from outside: V8's
 * parser copes with any depth, but every recursive walk of the result would not.
 * Invalid JSON is scanned all the same; the parser still decides whether it is JSON.
 *
 * @example
 * jsonTooDeep(Buffer.from('[[1]]'), 1); // true
 * jsonTooDeep('{"a":"[[[["}', 1); // false: brackets inside strings do not count
 */
export function jsonTooDeep(text: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const str = typeof text === 'string';
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = str ? text.charCodeAt(i) : text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/**
 * Why a body was not parsed: it nests deeper than `MAX_JSON_DEPTH`.
 *
 * @example
 * tooDeepReason(); // 'JSON nests deeper than 256 levels; not parsed'
 */
export function tooDeepReason(max = MAX_JSON_DEPTH): string {
  return `JSON nests deeper than ${max} levels; not parsed`;
}

/**
 * The `dropped:<reason>` an exchange gets when something threw while it was handled:
 * the error's own `reason` (a short snake_case word), else `internal_error`.
 *
 * @example
 * counters.add(route, `dropped:${dropReason(err)}`);
 */
export function dropReason(err: unknown): string {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' && /^[a-z_]{1,40}$/.test(reason) ? reason : 'internal_error';
}
