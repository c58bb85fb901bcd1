import { createHash } from 'node:crypto';
import { decodeBody, type BodyRecord, type ComparisonResult, type Difference, type ExchangeRecord } from '../records';
import type { MismatchRecord } from './record-types';
import { sharedPairs, storedBodyChars, storedExchangeJson } from './exchange-json';

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
 * The exchange is stringified once to measure it (not at all when `measured` gives its
 * lengths) and once more to build the fitted record's JSON (`exchangeJson`, under the cap or
 * without body text); leaving a body out takes off the characters that body stored.
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
  measured?: MeasuredRecord,
): FittedRecord {
  const mismatch = result.class === 'mismatch';
  // Measured once (the caller may already have): each body left out then takes off what it
  // stored, so the whole exchange is never stringified again to measure it (O(body) each time,
  // on the proxy's thread with the in-process worker).
  let exChars = measured?.exchange ?? storedExchangeJson(exchange).length;
  const resChars = mismatch ? (measured?.result ?? JSON.stringify(result).length) : 0;
  let trChars = mismatch && translated ? (measured?.translated ?? JSON.stringify(translated).length) : 0;
  if (exChars + resChars + trChars <= cap) return { exchange, result, translated };

  // A copy down to the holders: leaving a body out replaces the holder's body, never changes it.
  const ex: ExchangeRecord = { ...exchange };
  for (const name of HOLDERS) if (ex[name]) (ex as unknown as Record<string, object>)[name] = { ...ex[name] };
  let tr = translated && { ...translated };
  const without: string[] = [...(ex.storedWithout ?? [])];
  // the bodies, largest first
  const bodies: { name: string; holder: { body: BodyRecord | null }; length: number }[] = [];
  for (const name of HOLDERS) {
    const holder = ex[name];
    if (holder?.body && !holder.body.truncated && holder.body.data)
      bodies.push({ name: `${name}.body`, holder, length: holder.body.data.length });
  }
  const translatedLength = mismatch && tr?.body !== undefined ? (JSON.stringify(tr.body)?.length ?? 0) : 0;
  // A body stored as a reference to another (see `storedExchangeJson`) leaves with its source:
  // leaving the source out alone frees nothing (the reference becomes full text again).
  const byName = new Map(bodies.map((b) => [b.name, b]));
  const group = new Map<string, string[]>(bodies.map((b) => [b.name, [b.name]]));
  const sameAs = new Map<string, Parameters<typeof storedBodyChars>[1]>();
  for (const [holder, source] of sharedPairs(ex)) {
    const h = `${holder}.body`;
    const s = `${source}.body`;
    if (!group.has(h) || !group.has(s)) continue;
    group.get(s)!.push(h);
    group.delete(h);
    sameAs.set(h, source);
  }
  const candidates: { name: string; names: string[]; length: number; drop(): number }[] = [...group].map(([name, names]) => ({
    name,
    names,
    length: byName.get(name)!.length,
    // The characters it frees: what each body stored (in full, or as its reference) less what is
    // stored of it left out. Left out, a body is no source nor holder of a reference (no text).
    drop: () =>
      names.reduce((freed, n) => {
        const h = byName.get(n)!.holder;
        const before = storedBodyChars(h.body!, sameAs.get(n));
        h.body = leftOut(h.body!);
        return freed + before - storedBodyChars(h.body);
      }, 0),
  }));
  if (translatedLength)
    candidates.push({
      name: 'translatedCandidate.body',
      names: ['translatedCandidate.body'],
      length: translatedLength,
      drop: () => {
        tr = tr && { ...tr, body: undefined };
        const after = JSON.stringify(tr)?.length ?? 0;
        const freed = trChars - after;
        trChars = after;
        return freed;
      },
    });
  // largest first; of two as large, the one leaving fewer bodies out
  candidates.sort((a, b) => b.length - a.length || a.names.length - b.names.length);
  // measured again after each: a body stored as a reference to another costs little, and
  // leaving its source out stores it in full (see `storedExchangeJson`)
  for (const c of candidates) {
    if (exChars + resChars + trChars <= cap) break;
    const freed = c.drop();
    if (c.name !== 'translatedCandidate.body') exChars -= freed;
    without.push(...c.names);
  }
  ex.storedWithout = without;
  // What is left is under the cap, or holds no body text: measuring it again is cheap.
  const exchangeJson = storedExchangeJson(ex);
  const rest = exchangeJson.length + trChars;
  let res = result;
  if (rest + resChars > cap && mismatch) res = { ...res, differences: res.differences.map(preview) };
  // still over: keep the differences that fit in what is left, count the rest
  const total = res === result ? 0 : rest + JSON.stringify(res).length;
  if (total > cap) {
    const kept: Difference[] = [];
    let room = cap - (total - JSON.stringify(res.differences).length);
    for (const d of res.differences) {
      room -= JSON.stringify(d).length + 1;
      if (room < 0) break;
      kept.push(d);
    }
    res = { ...res, differences: kept, omittedDifferences: (res.omittedDifferences ?? 0) + res.differences.length - kept.length };
  }
  return { exchange: ex, result: res, translated: tr, exchangeJson };
}

/** The holders of an exchange's bodies. */
const HOLDERS = ['request', 'candidateRequest', 'legacy', 'candidate', 'legacyRepeat'] as const;

/** What the caller already measured of a record, in characters of JSON (see `fitRecord`). */
export interface MeasuredRecord {
  /** `storedExchangeJson(exchange).length` */
  exchange: number;
  /** `JSON.stringify(result).length` (read for a mismatch only) */
  result: number;
  /** `JSON.stringify(translated).length`, 0 without one (read for a mismatch only) */
  translated: number;
}

/**
 * A record as `fitRecord` fits it; `exchangeJson`: the fitted exchange's `storedExchangeJson`
 * (built while fitting), absent when the record was under the cap as it was.
 */
export interface FittedRecord {
  exchange: ExchangeRecord;
  result: ComparisonResult;
  translated: MismatchRecord['translatedCandidate'];
  exchangeJson?: string;
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
