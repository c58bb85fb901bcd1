import { createHash } from 'node:crypto';
import { decodeBody, type BodyRecord, type ComparisonResult, type Difference, type ExchangeRecord } from '../records';
import type { MismatchRecord } from './record-types';
import { sharedPairs, storedExchangeJson } from './exchange-json';

/** Default of `retention.maxRecordBytes`: bytes of one stored record at most. */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;

/** A difference value longer than this (as JSON) is stored as a preview once a record is over its cap. */
const VALUE_PREVIEW_CHARS = 200;

/**
 * What is stored for one result, fitted under `cap` bytes of JSON as stored (a body
 * shared with another stored once, see `storedExchangeJson`). Over the cap, the
 * largest bodies are left out first (each kept as its size and SHA-256, listed in
 * `exchange.storedWithout`), then long difference values become previews
 * (`{ $preview, bytes }`), then the last differences are dropped and counted in
 * `omittedDifferences`. Counters, signatures and causes are computed from the full
 * result before; only what is kept for people is cut.
 *
 * @example
 * const fitted = fitRecord(exchange, result, translated, 2 << 20);
 * fitted.exchange.storedWithout; // ['candidate.body'] when the candidate's body was the largest
 */
export function fitRecord(
  exchange: ExchangeRecord,
  result: ComparisonResult,
  translated: MismatchRecord['translatedCandidate'],
  cap: number,
): { exchange: ExchangeRecord; result: ComparisonResult; translated: MismatchRecord['translatedCandidate'] } {
  const mismatch = result.class === 'mismatch';
  const size = (ex: ExchangeRecord, r: ComparisonResult, t: typeof translated) =>
    storedExchangeJson(ex).length + (mismatch ? JSON.stringify(r).length + (t ? JSON.stringify(t).length : 0) : 0);
  if (size(exchange, result, translated) <= cap) return { exchange, result, translated };

  const ex: ExchangeRecord = structuredClone(exchange);
  let tr = translated && { ...translated };
  const without: string[] = [...(ex.storedWithout ?? [])];
  // the bodies, largest first
  const bodies: { name: string; holder: { body: BodyRecord | null }; length: number }[] = [];
  for (const name of ['request', 'candidateRequest', 'legacy', 'candidate', 'legacyRepeat'] as const) {
    const holder = ex[name];
    if (holder?.body && !holder.body.truncated && holder.body.data)
      bodies.push({ name: `${name}.body`, holder, length: holder.body.data.length });
  }
  const translatedLength = mismatch && tr?.body !== undefined ? (JSON.stringify(tr.body)?.length ?? 0) : 0;
  // A body stored as a reference to another (see `storedExchangeJson`) leaves with its source:
  // leaving the source out alone frees nothing (the reference becomes full text again).
  const byName = new Map(bodies.map((b) => [b.name, b]));
  const group = new Map<string, string[]>(bodies.map((b) => [b.name, [b.name]]));
  for (const [holder, source] of sharedPairs(ex)) {
    const h = `${holder}.body`;
    const s = `${source}.body`;
    if (!group.has(h) || !group.has(s)) continue;
    group.get(s)!.push(h);
    group.delete(h);
  }
  const candidates: { name: string; names: string[]; length: number; drop(): void }[] = [...group].map(([name, names]) => ({
    name,
    names,
    length: byName.get(name)!.length,
    drop: () => names.forEach((n) => (byName.get(n)!.holder.body = leftOut(byName.get(n)!.holder.body!))),
  }));
  if (translatedLength)
    candidates.push({
      name: 'translatedCandidate.body',
      names: ['translatedCandidate.body'],
      length: translatedLength,
      drop: () => tr && (tr = { ...tr, body: undefined }),
    });
  // largest first; of two as large, the one leaving fewer bodies out
  candidates.sort((a, b) => b.length - a.length || a.names.length - b.names.length);
  // measured again after each: a body stored as a reference to another costs little, and
  // leaving its source out stores it in full (see `storedExchangeJson`)
  for (const c of candidates) {
    if (size(ex, result, tr) <= cap) break;
    c.drop();
    without.push(...c.names);
  }
  ex.storedWithout = without;
  let res = result;
  if (size(ex, res, tr) > cap && mismatch) res = { ...res, differences: res.differences.map(preview) };
  // still over: keep the differences that fit in what is left, count the rest
  let total = size(ex, res, tr);
  if (total > cap && mismatch) {
    const kept: Difference[] = [];
    let room = cap - (total - JSON.stringify(res.differences).length);
    for (const d of res.differences) {
      room -= JSON.stringify(d).length + 1;
      if (room < 0) break;
      kept.push(d);
    }
    res = { ...res, differences: kept, omittedDifferences: (res.omittedDifferences ?? 0) + res.differences.length - kept.length };
    total = size(ex, res, tr);
  }
  return { exchange: ex, result: res, translated: tr };
}

/** A body left out of a stored record: its size and SHA-256 remain. */
function leftOut(body: BodyRecord): BodyRecord {
  return {
    encoding: body.encoding,
    data: '',
    size: body.size,
    truncated: true,
    sha256: body.sha256 ?? createHash('sha256').update(decodeBody(body)).digest('hex'),
  };
}

/** A difference with its long values as previews. */
function preview(d: Difference): Difference {
  const out = { ...d };
  for (const side of ['legacy', 'candidate'] as const) {
    if (!(side in d)) continue;
    const json = JSON.stringify(d[side]) ?? '';
    if (json.length > VALUE_PREVIEW_CHARS) out[side] = { $preview: json.slice(0, VALUE_PREVIEW_CHARS), bytes: json.length };
  }
  return out;
}
