import { createHash } from 'node:crypto';
import type { BodyRecord, ExchangeRecord } from '../records';
import type { MismatchRecord } from './results-store';

/**
 * The content hash that de-duplicates identical mismatches: route, legacy status and
 * body bytes, candidate status and body bytes, and the translator's output. Headers,
 * ids and times are left out, so the same pair of answers hashes the same. One SHA-1
 * pass over data the exchange already holds (no parsing); only mismatches are hashed.
 *
 * @example
 * contentHash(exchange, translated); // '3f786850e387550fdab836ed7e6dc881de23001b'
 */
export function contentHash(ex: ExchangeRecord, translated: MismatchRecord['translatedCandidate']): string {
  const h = createHash('sha1');
  const part = (s: string) => h.update(`${s.length}:`).update(s);
  part(ex.route);
  part(String(ex.legacy.status));
  body(part, ex.legacy.body);
  part(String(ex.candidate?.status ?? -1));
  body(part, ex.candidate?.body ?? null);
  part(translated ? JSON.stringify([translated.status, translated.body]) : '');
  return h.digest('hex');
}

function body(part: (s: string) => void, b: BodyRecord | null): void {
  if (!b) return part('-');
  part(b.encoding);
  part(b.truncated ? `truncated:${b.sha256 ?? ''}:${b.size}` : b.withheld ? `withheld:${b.withheld}:${b.size}` : b.data);
}
