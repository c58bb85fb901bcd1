import type { Headers } from './types';

/**
 * `name.toLowerCase()`, the same string when the name holds no upper-case letter and is
 * all ASCII (the usual header map key, a lower-case line name): V8's `toLowerCase` returns a
 * new string even then, and the proxy tests every header name of an exchange several times.
 * Names with other characters (`K`, U+212A, lower-cases to `k`) are lower-cased as before.
 *
 * @example
 * lowerName('content-type'); // 'content-type' (the same string, nothing allocated)
 * lowerName('Content-Type'); // 'content-type'
 */
export function lowerName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return name.toLowerCase();
  }
  return name;
}

/**
 * Header names as a peer sent them, in order, from Node's `rawHeaders`
 * (`[name, value, name, value, ...]`): one entry per distinct name, the casing of its
 * first occurrence. Values stay in the lower-case header map; this only remembers
 * how to write the names back.
 *
 * @example
 * headerNamesOf(['Host', 'x', 'ETag', '"1"', 'etag', '"2"']); // ['Host', 'ETag']
 */
export function headerNamesOf(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  // The usual head: each earlier name compared in place (no Set, no lower-case copy of a name that is lower case).
  if (rawHeaders.length <= NAMES_SCANNED_IN_PLACE) {
    for (let i = 0; i < rawHeaders.length; i += 2) if (!namedBefore(rawHeaders, i)) out.push(rawHeaders[i]);
    return out;
  }
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = lowerName(rawHeaders[i]);
    if (seen.has(lower)) continue;
    seen.add(lower);
    out.push(rawHeaders[i]);
  }
  return out;
}

/** Lines (`[name, value, ...]` entries) up to which `headerNamesOf` compares names pair by pair. */
const NAMES_SCANNED_IN_PLACE = 64;

/** Whether a name before `at` (even places of `lines`) is the name at `at`, in any case (as `toLowerCase` compares). */
function namedBefore(lines: readonly string[], at: number): boolean {
  const name = lines[at];
  for (let j = 0; j < at; j += 2) {
    const other = lines[j];
    if (other === name) return true;
    // Lower-casing keeps an ASCII name's length (not every other: U+0130 becomes two characters).
    if (other.length !== name.length && isAscii(other) && isAscii(name)) continue;
    if (lowerName(other) === lowerName(name)) return true;
  }
  return false;
}

/**
 * Headers to write, as `[name, value]` pairs: names in `names`' order and casing
 * first, then the map's other names (lower-case, in map order). Names in `drop`
 * (lower-case) and undefined values are left out.
 *
 * @example
 * orderedHeaders({ etag: '"1"', vary: 'accept' }, ['ETag'], new Set()); // [['ETag', '"1"'], ['vary', 'accept']]
 */
export function orderedHeaders(
  headers: Headers,
  names: readonly string[] | undefined,
  drop: ReadonlySet<string>,
): [string, string | string[]][] {
  const out: [string, string | string[]][] = [];
  const done = new Set<string>();
  const add = (name: string) => {
    const lower = name.toLowerCase();
    if (done.has(lower)) return;
    done.add(lower);
    const v = headers[lower];
    if (v !== undefined && !drop.has(lower)) out.push([name, v]);
  };
  for (const n of names ?? []) add(n);
  for (const n of Object.keys(headers)) add(n);
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}
