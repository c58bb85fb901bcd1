/**
 * `SecretNames.mayOccurIn` over a body's bytes, without decoding them to a string (a 2 KB
 * string per body and per request on the proxy's event loop, for a test that is almost
 * always false). It answers true wherever the text probe may answer true for the bytes read
 * as UTF-8 or as Latin-1 (the two readings `redactDecoded` takes), so a false from it is a
 * false from the probe; a true sends the body down the decoding path as before:
 * - names and leaves here are ASCII, and neither reading turns a byte >= 0x80 into an ASCII
 *   character, nor does a regex's `i` flag (no `u`) match a non-ASCII character to an ASCII
 *   one: each ASCII character of the text is an ASCII byte, in the same order, with only
 *   non-name characters (bytes >= 0x80) between them;
 * - the probe's hits widen to a whole run of name characters and count when that run (or
 *   the run after a JSON escape's letter) is a name: with every shortest name made of name
 *   characters, that is a run of name bytes equal to a name in any ASCII case;
 * - anything that may spell a name counts, as there: `\u`, and U+212A (KELVIN SIGN) by its
 *   UTF-8 bytes E2 84 AA.
 * Null when the names do not allow it (a configured name or leaf that is not ASCII, or a
 * shortest name holding other characters): callers decode, as before.
 *
 * @example
 * const probe = bytesProbe(new Set(['token']), ['token'], [], false)!;
 * probe(Buffer.from('{"prompt_tokens":1}')); // false
 * probe(Buffer.from('{"TOKEN":1}')); // true
 */
export function bytesProbe(
  names: ReadonlySet<string>,
  shortest: readonly string[],
  leaves: readonly string[],
  anyLeaf: boolean,
): ((bytes: Buffer) => boolean) | null {
  if (anyLeaf) return () => true;
  if (!shortest.every((n) => n.length > 0 && [...n].every((c) => NAME[c.charCodeAt(0)] === 1))) return null;
  if (!leaves.every((l) => l.length > 0 && [...l].every((c) => c.charCodeAt(0) < 0x80))) return null;
  // Lower-case ASCII names by length (names with other characters can never equal a run).
  const byLength: Buffer[][] = [];
  for (const n of names) {
    if (n.length === 0 || ![...n].every((c) => NAME[c.charCodeAt(0)] === 1)) continue;
    (byLength[n.length] ??= []).push(Buffer.from(n.toLowerCase(), 'latin1'));
  }
  const leafBytes = leaves.map((l) => Buffer.from(l.toLowerCase(), 'latin1'));
  const isName = (b: Buffer, from: number, to: number) => {
    const same = byLength[to - from];
    if (same)
      for (const n of same) {
        let i = 0;
        while (i < n.length && LOWER[b[from + i]] === n[i]) i++;
        if (i === n.length) return true;
      }
    return false;
  };
  return (b) => {
    for (const l of leafBytes) if (containsLower(b, l)) return true;
    const len = b.length;
    let start = -1;
    for (let i = 0; i <= len; i++) {
      const c = i < len ? b[i] : 0;
      if (NAME[c] === 1) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) {
        if (isName(b, start, i)) return true;
        // A JSON escape's letter before the name (`"\tpassword"`: a tab, then `password`).
        if (start > 0 && b[start - 1] === 92 && ESCAPE_LETTER[b[start]] === 1 && isName(b, start + 1, i)) return true;
        start = -1;
      }
      // `\u` (a JSON escape may spell a name); E2 84 AA, U+212A, lower-cases to `k`.
      if (c === 92 && i + 1 < len && b[i + 1] === 117) return true;
      if (c === 0xe2 && i + 2 < len && b[i + 1] === 0x84 && b[i + 2] === 0xaa) return true;
    }
    return false;
  };
}

/**
 * The bytes with each `%XX` (hex) replaced by the byte it stands for, as `mayName` reads a
 * text's percent-escapes (one pass, `%25` stays one `%`).
 *
 * @example
 * percentDecoded(Buffer.from('pass%77ord')).toString(); // 'password'
 */
export function percentDecoded(b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 37 && i + 2 < b.length && HEX[b[i + 1]] >= 0 && HEX[b[i + 2]] >= 0) {
      out[n++] = HEX[b[i + 1]] * 16 + HEX[b[i + 2]];
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Whether `b` holds `lower` (lower-case ASCII) in any ASCII case. */
function containsLower(b: Buffer, lower: Buffer): boolean {
  const first = lower[0];
  for (let i = 0; i + lower.length <= b.length; i++) {
    if (LOWER[b[i]] !== first) continue;
    let k = 1;
    while (k < lower.length && LOWER[b[i + k]] === lower[k]) k++;
    if (k === lower.length) return true;
  }
  return false;
}

const table = (f: (c: number) => number) => Int16Array.from({ length: 256 }, (_, c) => f(c));
/** `A-Za-z0-9_-`: the probe's name characters (see `isNameChar` in `secret-names`). */
const NAME = table((c) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(c)) ? 1 : 0));
/** ASCII upper case lowered; every other byte as it is. */
const LOWER = table((c) => (c >= 65 && c <= 90 ? c + 32 : c));
const ESCAPE_LETTER = table((c) => ('bfnrt'.includes(String.fromCharCode(c)) ? 1 : 0));
const HEX = table((c) => (/[0-9a-fA-F]/.test(String.fromCharCode(c)) ? parseInt(String.fromCharCode(c), 16) : -1));
