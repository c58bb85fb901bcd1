import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { bodyBytes, type BodyRecord, type ComparisonResult, type ExchangeRecord } from '../records';
import type { MismatchRecord } from './record-types';
import { sha1Hex } from './sha1';

/**
 * The content hash that de-duplicates identical mismatches: it covers everything the
 * comparison looked at and found: route, legacy status and body bytes, candidate status
 * and body bytes, the translator's output (headers included), and the differences found
 * (header, charset, location and body differences with their values, and the noise).
 * So two mismatches are stored once only when a stored sample shows the other's
 * difference exactly. Ids and times are left out. One SHA-1 pass, no parsing; only
 * mismatches are hashed.
 *
 * A body record holding ASCII bytes as `utf8` (most JSON) is hashed from its bytes: they
 * are its text's UTF-8 and their count its length, so the digest is the text's without
 * decoding it (for a 20 KB pair: no two texts, no 40 KB join, no UTF-8 copy of the join).
 *
 * @example
 * contentHash(exchange, translated, result); // '3f786850e387550fdab836ed7e6dc881de23001b'
 */
export function contentHash(
  ex: ExchangeRecord,
  translated: MismatchRecord['translatedCandidate'],
  result?: Pick<ComparisonResult, 'differences' | 'noise'>,
): string {
  // Each part as `<length>:<text>`, hashed in order (the digest of hashing them one by one:
  // a part is never next to another's text, so their UTF-8 bytes are the same). Texts are
  // joined; an ASCII body's bytes go in as they are, between the joined texts.
  const parts: (string | Buffer)[] = [];
  let text: string[] = [];
  const part = (s: string) => text.push(`${s.length}:`, s);
  const bytes = (b: Buffer) => {
    text.push(`${b.length}:`);
    parts.push(text.join(''), b);
    text = [];
  };
  part(ex.route);
  part(String(ex.legacy.status));
  body(part, bytes, ex.legacy.body);
  part(String(ex.candidate?.status ?? -1));
  body(part, bytes, ex.candidate?.body ?? null);
  part(translated ? JSON.stringify([translated.status, translated.headers, translated.body]) : '');
  part(result ? JSON.stringify([result.differences, result.noise]) : '');
  if (!parts.length) return sha1Hex(text.join(''));
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.update(text.join('')).digest('hex');
}

function body(part: (s: string) => void, bytes: (b: Buffer) => void, b: BodyRecord | null): void {
  if (!b) return part('-');
  part(b.encoding);
  if (b.truncated) return part(`truncated:${b.sha256 ?? ''}:${b.size}`);
  if (b.withheld) return part(`withheld:${b.withheld}:${b.size}`);
  // `data` of ASCII bytes is their latin-1 = UTF-8 text, one character a byte
  const raw = b.encoding === 'utf8' ? bodyBytes(b) : undefined;
  if (raw && isAscii(raw)) return bytes(raw);
  part(b.data);
}
