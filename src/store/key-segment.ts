import { createHash } from 'node:crypto';

/** The longest outside value written into a key as it is (escaped); longer ones are hashed. */
const MAX_SEGMENT = 100;

/**
 * An outside or variable value as one key segment. Letters, digits, `_`, `.`, `-` and
 * `@` stay as they are (so Tandem's own ids, route names and ordinary customer ids read
 * as themselves); every other byte of its UTF-8 is written `%XX`, so a segment never
 * holds `:`, `{`, `}`, `*`, `?`, `[`, `]`, `|`, whitespace or `~`. A segment longer than
 * 100 characters becomes `~` and the SHA-256 of the value (65 characters, and the only
 * segments holding `~`). So two different values never give the same segment, and no
 * value can reach another key, another route's keys or another hash tag.
 *
 * @example
 * keySegment('acme'); // 'acme'
 * keySegment('a:b'); // 'a%3Ab'
 * keySegment('x'.repeat(500)); // '~' + 64 hex digits
 */
export function keySegment(value: string): string {
  if (SAFE_SEGMENT.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.@-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (out.length > MAX_SEGMENT) break;
  }
  return out.length > MAX_SEGMENT ? `~${createHash('sha256').update(value, 'utf8').digest('hex')}` : out;
}

const SAFE_SEGMENT = /^[A-Za-z0-9_.@-]{0,100}$/;

/**
 * The hash tag of a key name (what Redis Cluster hashes to pick its slot): the text
 * between the first `{` and the next `}` when that is not empty, else the whole name.
 * Keys with the same tag share a slot.
 *
 * @example
 * hashTagOf('{tandem:r1a2b3c4d}:route:p:counters'); // 'tandem:r1a2b3c4d'
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}
