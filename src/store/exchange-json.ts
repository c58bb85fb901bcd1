import { bodyBytes, type BodyRecord, type ExchangeRecord } from '../records';
import type { MismatchRecord } from './record-types';

/**
 * The bodies a stored exchange may hold as a reference instead of text: each holder's
 * body, when its text is the text of the body named beside it (a candidate answering
 * legacy's bytes, as most do; a repeat of legacy's answer; a request no translator changed).
 */
const SHARED_BODIES = [
  ['candidate', 'legacy'],
  ['legacyRepeat', 'legacy'],
  ['candidateRequest', 'request'],
] as const;

type Source = (typeof SHARED_BODIES)[number][1];

/** Shorter shared texts are stored as they are: `"sameAs":"legacy"` would not be shorter than their `"data"`. */
const MIN_SHARED_CHARS = 16;

/**
 * A stored body that repeats another body of its exchange: the body's fields with `data`
 * replaced (in place) by `sameAs`, the name of the holder whose body text it is. Only the
 * store writes and reads it (`storedExchangeJson`, `exchangeOfJson`); every reader gets
 * `data` back.
 *
 * @example
 * const ref: SharedBody = { encoding: 'utf8', sameAs: 'legacy', size: 2048, truncated: false };
 */
export type SharedBody = Omit<BodyRecord, 'data'> & { sameAs: Source };

/**
 * The exchange as the store keeps it, as JSON: `JSON.stringify(exchange)` except that a
 * body whose text (`data`, already redacted: what is stored) and encoding equal those of
 * its source in `SHARED_BODIES` is stored as a `SharedBody` reference, so the text is
 * stored (and escaped, sent to Redis, held in memory) once. Equality is decided on the
 * record as it is stored, never on raw bytes. A reference is a field of the body record,
 * not text: no body text can pass for one (it is a JSON string, escaped). Read back with
 * `exchangeOfJson`.
 *
 * @example
 * const json = storedExchangeJson(exchange); // candidate.body: {"encoding":"utf8","sameAs":"legacy","size":2048,...}
 * exchangeOfJson(json); // deep-equal to exchange
 */
export function storedExchangeJson(ex: ExchangeRecord): string {
  let out: Record<string, unknown> | undefined;
  for (const [holder, source] of sharedPairs(ex)) {
    out ??= { ...ex };
    out[holder] = { ...ex[holder], body: reference(ex[holder]!.body!, source) };
  }
  return JSON.stringify(out ?? ex);
}

/**
 * Characters of `body` in `storedExchangeJson`'s output: in full, or (`sameAs`: the source
 * it repeats, see `sharedPairs`) as its reference. Stringifies the body alone, never the
 * exchange (`fitRecord` measures what leaving a body out frees with it).
 *
 * @example
 * storedBodyChars(ex.candidate.body, 'legacy'); // ~70: the reference, not the text
 */
export function storedBodyChars(body: BodyRecord, sameAs?: Source): number {
  return JSON.stringify(sameAs ? reference(body, sameAs) : body).length;
}

/**
 * The bodies `storedExchangeJson` stores as references: [holder, source] for each holder
 * whose body's text and encoding are its source's (and not shorter than MIN_SHARED_CHARS).
 *
 * @example
 * sharedPairs(ex); // [['candidate', 'legacy']] for a candidate answering legacy's bytes
 */
export function sharedPairs(ex: ExchangeRecord): (typeof SHARED_BODIES)[number][] {
  return SHARED_BODIES.filter(([holder, source]) => {
    const a = ex[source]?.body;
    const b = ex[holder]?.body;
    if (!a || !b || a.encoding !== b.encoding) return false;
    // Records holding the same bytes in the same encoding hold the same text: only the
    // source's is read (it is stored), the holder's is never decoded (see `bytesBodyAs`).
    const x = bodyBytes(a);
    const y = bodyBytes(b);
    if (x && y && (x === y || x.equals(y))) return a.data.length >= MIN_SHARED_CHARS;
    return b.data.length >= MIN_SHARED_CHARS && a.data === b.data;
  });
}

/**
 * A stored exchange's JSON read back: its references resolved (each `SharedBody` gets
 * its source's `data` again, in `data`'s place). Records stored in full (before
 * references, or with bodies that differ) read as they are. Throws what `JSON.parse`
 * throws on text that is not JSON.
 *
 * @example
 * const ex = exchangeOfJson(await redis.get(key));
 */
export function exchangeOfJson(json: string): ExchangeRecord {
  return resolveShared(JSON.parse(json) as ExchangeRecord);
}

/**
 * A stored mismatch record's JSON read back (its exchange's references resolved, see `exchangeOfJson`).
 *
 * @example
 * const m = mismatchOfJson(await redis.get(key));
 */
export function mismatchOfJson(json: string): MismatchRecord {
  const m = JSON.parse(json) as MismatchRecord;
  if (m?.exchange) m.exchange = resolveShared(m.exchange);
  return m;
}

/**
 * The exchange with its `SharedBody` references resolved, in place. A body is a reference
 * only when it has no `data` (a body stored in full always has it); one the store does
 * not write (naming another body than its source, or a source without text: a damaged
 * record) reads as an empty body, never as a reference.
 */
function resolveShared(ex: ExchangeRecord): ExchangeRecord {
  if (!ex || typeof ex !== 'object') return ex;
  for (const [holder, source] of SHARED_BODIES) {
    const h = ex[holder] as { body?: unknown } | undefined;
    const body = h?.body as Partial<BodyRecord & SharedBody> | null | undefined;
    if (!body || typeof body !== 'object' || 'data' in body || !('sameAs' in body)) continue;
    const text = body.sameAs === source ? ex[source]?.body?.data : undefined;
    h!.body = resolved(body, typeof text === 'string' ? text : '');
  }
  return ex;
}

/** The body with `data` in `sameAs`'s place (the field order of the body as recorded). */
function resolved(body: object, data: string): BodyRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k === 'sameAs' ? 'data' : k] = k === 'sameAs' ? data : v;
  return out as unknown as BodyRecord;
}

/** `body` as a reference to `source`'s body (the field order kept, `sameAs` in `data`'s place). */
function reference(body: BodyRecord, source: Source): SharedBody {
  const out: Record<string, unknown> = {};
  // by key, not Object.entries: reading `data` would decode bytes it holds (see `bytesBodyAs`)
  for (const k of Object.keys(body)) out[k === 'data' ? 'sameAs' : k] = k === 'data' ? source : body[k as keyof BodyRecord];
  return out as unknown as SharedBody;
}
