import type { ExchangeRecord } from '../records';

/** Stands for the body text legacy and the candidate share while the rest is serialised (see `exchangeJson`). */
const SHARED = '\u0000tandem: the body legacy and the candidate share\u0000';
const SHARED_JSON = JSON.stringify(SHARED);
/** Shorter shared texts are serialised twice: the splice would cost what it saves. */
const MIN_SHARED_CHARS = 256;

/**
 * `JSON.stringify(exchange)`, the same string, with the body text legacy and the candidate
 * share (a candidate answering legacy's bytes, as most do) escaped once instead of twice:
 * the rest is serialised with a marker in both places, then the body's JSON is put in
 * them. When the marker is found anywhere else (a header holding it, say) the exchange
 * is serialised as is.
 *
 * @example
 * exchangeJson(exchange) === JSON.stringify(exchange); // always true
 */
export function exchangeJson(ex: ExchangeRecord): string {
  const a = ex.legacy?.body;
  const b = ex.candidate?.body;
  if (!a || !b || a.encoding !== b.encoding || a.data.length < MIN_SHARED_CHARS || a.data !== b.data) return JSON.stringify(ex);
  const rest = JSON.stringify({
    ...ex,
    legacy: { ...ex.legacy, body: { ...a, data: SHARED } },
    candidate: { ...ex.candidate!, body: { ...b, data: SHARED } },
  });
  const i = rest.indexOf(SHARED_JSON);
  const j = rest.indexOf(SHARED_JSON, i + 1);
  if (i < 0 || j < 0 || rest.includes(SHARED_JSON, j + 1)) return JSON.stringify(ex);
  const text = JSON.stringify(a.data);
  return rest.slice(0, i) + text + rest.slice(i + SHARED_JSON.length, j) + text + rest.slice(j + SHARED_JSON.length);
}
