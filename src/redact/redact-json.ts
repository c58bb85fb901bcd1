import type { PathSegment } from '../compare';
import { canonicalJsonText } from './canonical-value';

/** Nesting deeper than this is not scanned (the body is then treated as unreadable). */
export const MAX_JSON_DEPTH = 512;

/**
 * A value found at a secret path: where it starts and ends in the text, and its canonical form.
 *
 * @example
 * const e: Edit = { start: 12, end: 20, replacement: '"[REDACTED:0123456789abcdef]"' };
 */
interface Edit {
  start: number;
  end: number;
  replacement: string;
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/**
 * Replace the values at secret paths of a JSON text by their fingerprints, leaving every
 * other byte as it was (numbers, spacing and key order are never re-encoded). The text is
 * scanned iteratively and nesting deeper than `maxDepth` is refused. A
 * string value is fingerprinted by its decoded text, any other value by its canonical JSON.
 *
 * `strings`, when given, sees every string value not at a secret path (its raw token,
 * quotes and escapes included, and its path) and returns the token to put in its place,
 * or undefined to keep it: how JSON, forms and other encodings inside strings are redacted
 * (`redactBody` reads them, bounded; without `strings` string values are kept as they are).
 *
 * Returns the new text (the same string when nothing was secret), or null when the text
 * is not JSON.
 *
 * @example
 * redactJsonText('{"a":1,"Password":"x"}', (p) => p[0] === 'password', fp); // '{"a":1,"Password":"[REDACTED:...]"}'
 */
export function redactJsonText(
  text: string,
  isSecret: (path: readonly PathSegment[]) => boolean,
  fp: (value: string | Buffer) => string,
  maxDepth = MAX_JSON_DEPTH,
  strings?: (raw: string, path: readonly PathSegment[]) => string | undefined,
): string | null {
  const path: PathSegment[] = [];
  const containers: ('o' | 'a')[] = [];
  const edits: Edit[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** Set while inside a value being replaced: its start and the depth it began at. */
  let hidden: { start: number; depth: number } | null = null;
  const match = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i = re.lastIndex;
    return m[0];
  };
  const ws = () => void match(WS);
  const endValue = () => {
    if (hidden && hidden.depth === containers.length) {
      const raw = text.slice(hidden.start, i);
      edits.push({ start: hidden.start, end: i, replacement: JSON.stringify(fp(canonical(raw))) });
      hidden = null;
    }
  };

  for (;;) {
    // A value starts here.
    ws();
    const at = i;
    const secret = !hidden && path.length > 0 && isSecret(path);
    if (secret) {
      const str = text[i] === '"' ? peekString(text, i) : null;
      if (str === null || !/^\[REDACTED(?::[0-9a-f]{16})?\]$/.test(str)) hidden = { start: at, depth: containers.length };
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      if (containers.length >= maxDepth) return null;
      containers.push(c === '{' ? 'o' : 'a');
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        containers.pop();
        endValue();
      } else if (c === '{') {
        const key = readKey();
        if (key === null) return null;
        path.push(key);
        continue;
      } else {
        path.push(0);
        continue;
      }
    } else {
      const raw = c === '"' ? match(STRING) : c === 't' || c === 'f' || c === 'n' ? match(LITERAL) : match(NUMBER);
      if (raw === null) return null;
      if (c === '"' && !hidden && !secret) {
        // The body's redactor reads what strings hold (JSON, forms), bounded: see `redactBody`.
        if (strings) {
          const replacement = strings(raw, path);
          if (replacement !== undefined) edits.push({ start: at, end: i, replacement });
        }
      }
      endValue();
    }

    // After a value: a separator, a closing bracket, or the end.
    for (;;) {
      ws();
      const top = containers[containers.length - 1];
      if (!top) {
        if (i !== text.length) return null;
        return edits.length ? splice(text, edits) : text;
      }
      const ch = text[i++];
      if (ch === ',') {
        if (top === 'a') path[path.length - 1] = (path[path.length - 1] as number) + 1;
        else {
          ws();
          const key = readKey();
          if (key === null) return null;
          path[path.length - 1] = key;
        }
        break;
      }
      if (ch !== (top === 'o' ? '}' : ']')) return null;
      containers.pop();
      path.pop();
      endValue();
    }
  }

  function readKey(): string | null {
    const raw = match(STRING);
    if (raw === null) return null;
    ws();
    if (text[i++] !== ':') return null;
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }
}

/** The string value starting at `at`, decoded, or null when it is not a valid string. */
function peekString(text: string, at: number): string | null {
  STRING.lastIndex = at;
  const m = STRING.exec(text);
  return m ? (JSON.parse(m[0]) as string) : null;
}

/**
 * What a value is fingerprinted by: a string's decoded text; any other value in its
 * canonical form (`canonicalJsonText`: numbers by value, keys sorted, so values the
 * comparison calls equal share a fingerprint) marked as not a string (see `nonString`),
 * so the string `"1"` and the number `1` get different fingerprints.
 */
function canonical(raw: string): string | Buffer {
  if (raw[0] === '"') return JSON.parse(raw) as string;
  return nonString(canonicalJsonText(raw) ?? raw.replace(/"(?:[^"\\]|\\.)*"|[ \t\n\r]+/g, (m) => (m[0] === '"' ? m : '')));
}

/**
 * The bytes a value other than a string is fingerprinted by: its JSON after a 0xFF byte,
 * which the UTF-8 of no string holds, so no string value shares its fingerprint (a
 * candidate answering `1` or `null` where legacy answered `"1"` or `"null"` differs).
 *
 * @example
 * fp(nonString('1')) !== fp('1'); // true
 */
export function nonString(json: string): Buffer {
  return Buffer.concat([NON_STRING, Buffer.from(json)]);
}

const NON_STRING = Buffer.from([0xff]);

function splice(text: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return out + text.slice(at);
}
