import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, MAX_JSON_DEPTH, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './limits';

/**
 * What one pass over UTF-8 JSON bytes tells before they are parsed: `too_deep` when
 * arrays and objects nest deeper than `max` (exactly as `jsonTooDeep` counts them),
 * `inexact` when a number may not fit a double (see `parseJsonExact`), else `plain`.
 *
 * @example
 * const s: JsonScan = scanJson(Buffer.from('{"id":9007199254740993}')); // 'inexact'
 */
export type JsonScan = 'plain' | 'inexact' | 'too_deep';

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * One pass over JSON bytes (UTF-8 or ASCII: every byte of a multi-byte character is
 * above 0x7f, so none reads as structure) doing both checks a parse of outside data
 * needs: the nesting bound of `jsonTooDeep` (strings and escapes skipped the same way)
 * and the precision test of `parseJsonExact`, applied to the text outside strings, where
 * the numbers are: 16 digits and dots in a row, or an exponent of 3 digits. No
 * allocation, no recursion; invalid JSON is scanned all the same (the parser decides).
 *
 * @example
 * scanJson(Buffer.from('{"price":12.5,"sku":"12345678901234567"}')); // 'plain': the long run is in a string
 * scanJson(Buffer.from('[1e400]')); // 'inexact'
 * scanJson(Buffer.from('[[1]]'), 1); // 'too_deep'
 */
export function scanJson(bytes: Buffer, max = MAX_JSON_DEPTH): JsonScan {
  const n = bytes.length;
  let depth = 0;
  let run = 0;
  let inexact = false;
  for (let i = 0; i < n; i++) {
    let c = bytes[i];
    if (c === QUOTE) {
      // skip the string, escapes included
      for (i++; i < n; i++) {
        c = bytes[i];
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) break;
      }
      run = 0;
    } else if ((c >= DIGIT_0 && c <= DIGIT_9) || c === DOT) {
      if (++run >= 16) inexact = true;
    } else {
      run = 0;
      if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (++depth > max) return 'too_deep';
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
      else if (c === LOWER_E || c === UPPER_E) {
        // an exponent's digits (after `e` of true/false there are none)
        let j = i + 1;
        if (j < n && (bytes[j] === PLUS || bytes[j] === MINUS)) j++;
        const from = j;
        while (j < n && bytes[j] >= DIGIT_0 && bytes[j] <= DIGIT_9) j++;
        if (j - from >= 3) inexact = true;
        i = j - 1;
      }
    }
  }
  return inexact ? 'inexact' : 'plain';
}
