import type { BodyRecord, ComparisonResult, ExchangeRecord } from '../records';
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
 * @example
 * contentHash(exchange, translated, result); // '3f786850e387550fdab836ed7e6dc881de23001b'
 */
export function contentHash(
  ex: ExchangeRecord,
  translated: MismatchRecord['translatedCandidate'],
  result?: Pick<ComparisonResult, 'differences' | 'noise'>,
): string {
  // Each part as `<length>:<text>`, all hashed at once (the digest of hashing them one by one:
  // a part is never next to another's text, so their UTF-8 bytes are the same).
  const parts: string[] = [];
  const part = (s: string) => parts.push(`${s.length}:`, s);
  part(ex.route);
  part(String(ex.legacy.status));
  body(part, ex.legacy.body);
  part(String(ex.candidate?.status ?? -1));
  body(part, ex.candidate?.body ?? null);
  part(translated ? JSON.stringify([translated.status, translated.headers, translated.body]) : '');
  part(result ? JSON.stringify([result.differences, result.noise]) : '');
  return sha1Hex(parts.join(''));
}

function body(part: (s: string) => void, b: BodyRecord | null): void {
  if (!b) return part('-');
  part(b.encoding);
  part(b.truncated ? `truncated:${b.sha256 ?? ''}:${b.size}` : b.withheld ? `withheld:${b.withheld}:${b.size}` : b.data);
}
