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

// What each byte is to `scanJson`, looked up once per byte (a chain of comparisons took about
// 40% longer over the worker bench's 20 KB document).
const OTHER = 0;
const STRING = 1;
const NUMBER = 2;
const OPEN = 3;
const CLOSE = 4;
const EXPONENT = 5;
// the string skip's two bytes as constants of this module (an import is read from its module's object)
const ESCAPE = BACKSLASH;
const END = QUOTE;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[QUOTE] = STRING;
for (let c = DIGIT_0; c <= DIGIT_9; c++) BYTE_CLASS[c] = NUMBER;
BYTE_CLASS[DOT] = NUMBER;
BYTE_CLASS[OPEN_ARRAY] = BYTE_CLASS[OPEN_OBJECT] = OPEN;
BYTE_CLASS[CLOSE_ARRAY] = BYTE_CLASS[CLOSE_OBJECT] = CLOSE;
BYTE_CLASS[LOWER_E] = BYTE_CLASS[UPPER_E] = EXPONENT;

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
    switch (BYTE_CLASS[bytes[i]]) {
      case OTHER:
        run = 0;
        break;
      case STRING:
        // skip the string, escapes included
        for (i++; i < n; i++) {
          const c = bytes[i];
          if (c === ESCAPE) i++;
          else if (c === END) break;
        }
        run = 0;
        break;
      case NUMBER:
        if (++run >= 16) inexact = true;
        break;
      case OPEN:
        run = 0;
        if (++depth > max) return 'too_deep';
        break;
      case CLOSE:
        run = 0;
        depth--;
        break;
      default: {
        // EXPONENT: an exponent's digits (after `e` of true/false there are none)
        run = 0;
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
