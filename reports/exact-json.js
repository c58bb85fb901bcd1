// JSON as the page shows it: a number a double cannot hold (past 2^53, or more significant
// digits than a double keeps) becomes its digits as a string, as the comparison stores it
// in a difference and in the translated candidate answer. JSON.parse alone would round
// 12345678901234567893 to 12345678901234567000: a wrong number, and a false difference
// against the candidate's exact digits.

/** Text that may hold such a number: 16 digits or dots in a row, or a 3-digit exponent (as the server's exact-json). */
const MAYBE_INEXACT = /[\d.]{16}|[eE][+-]?\d{3}/;
/** A JSON number token (RFC 8259 section 6), matched where a value starts. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Significant digits of a number's text: no sign, exponent, point, leading or trailing zeros. */
const significant = (s) =>
  s
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');

/** True when a double holds the number exactly (its shortest form has the same significant digits). */
const fitsDouble = (token) => significant(token) === significant(String(Number(token)));

/**
 * Parse JSON text, each number a double cannot hold given as its digits (a string).
 * Throws JSON.parse's SyntaxError on invalid JSON.
 *
 * @example
 * parseJsonShown('{"id":12345678901234567893,"n":1.5}'); // { id: '12345678901234567893', n: 1.5 }
 */
export function parseJsonShown(text) {
  if (!MAYBE_INEXACT.test(text)) return JSON.parse(text);
  const parts = [];
  let from = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote (a backslash escapes the next character)
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i += text.charCodeAt(i) === 92 ? 2 : 1);
      i++;
      continue;
    }
    if (c !== 45 && (c < 48 || c > 57)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const token = NUMBER.exec(text)?.[0];
    if (!token) {
      i++;
      continue;
    }
    if (!fitsDouble(token)) {
      parts.push(text.slice(from, i), `"${token}"`);
      from = i + token.length;
    }
    i += token.length;
  }
  parts.push(text.slice(from));
  return JSON.parse(parts.join(''));
}
