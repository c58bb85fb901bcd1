import { bodyBytes, bytesBodyAs, type BodyRecord, type ExchangeRecord } from '../records';

/** The holders of an exchange's bodies. */
const HOLDERS = ['request', 'candidateRequest', 'legacy', 'candidate', 'legacyRepeat'] as const;

/** The fields of a body record built from bytes (`bytesBody`, `bytesBodyAs`): only such records are sent as bytes. */
const BYTES_BODY_KEYS = new Set(['encoding', 'size', 'truncated', 'sha256', 'data']);

/** A body record as it crosses to a comparison thread: its bytes instead of `data`. */
interface WireBody {
  encoding: BodyRecord['encoding'];
  size: number;
  truncated: false;
  sha256?: string;
  bytes: Uint8Array;
}

/**
 * The exchange as it is sent to a comparison thread: each body record that holds its bytes
 * (read from the queue, see `bytesBodyAs`) sent as those bytes, not as `data`. Cloning a
 * record reads `data`, which decodes the bytes to text (O(body) on the calling thread: the
 * proxy's, with the in-process worker) and sends the text; sent as bytes, it is copied as
 * it is and decoded, if at all, on the thread (`exchangeFromWire`). A body held twice (a
 * candidate answering legacy's bytes) is sent once. The exchange is not changed (a copy
 * down to the holders, only where a body is sent as bytes).
 *
 * @example
 * await pool.run({ exchange: exchangeToWire(ex), ... }); // in the thread: exchangeFromWire(task.exchange)
 */
export function exchangeToWire(ex: ExchangeRecord): ExchangeRecord {
  let out: Record<string, unknown> | undefined;
  const sent = new Map<Buffer, Uint8Array>();
  for (const holder of HOLDERS) {
    const message = ex[holder];
    const body = message?.body;
    const bytes = bodyBytes(body);
    if (!body || !bytes || body.truncated !== false || !Object.keys(body).every((k) => BYTES_BODY_KEYS.has(k))) continue;
    let wire = sent.get(bytes);
    if (!wire) sent.set(bytes, (wire = whole(bytes)));
    const sentBody: WireBody = { encoding: body.encoding, size: body.size, truncated: false, bytes: wire };
    if (body.sha256 !== undefined) sentBody.sha256 = body.sha256;
    out ??= { ...ex };
    out[holder] = { ...message, body: sentBody };
  }
  return (out ?? ex) as ExchangeRecord;
}

/**
 * An exchange sent by `exchangeToWire`, in a comparison thread: each body sent as bytes made a
 * record of those bytes again (`bytesBodyAs`: the same fields in the same order, `data`
 * decoded when read), in place (the thread's copy is its own). Bodies sent once for two
 * holders share their bytes again.
 *
 * @example
 * const exchange = exchangeFromWire(task.exchange);
 */
export function exchangeFromWire(ex: ExchangeRecord): ExchangeRecord {
  const made = new Map<Uint8Array, Buffer>();
  for (const holder of HOLDERS) {
    const message = ex[holder];
    const body = message?.body as unknown as Partial<WireBody> | null | undefined;
    if (!message || !body || !(body.bytes instanceof Uint8Array) || 'data' in body) continue;
    const u8 = body.bytes;
    let buf = made.get(u8);
    if (!buf) made.set(u8, (buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)));
    const rec = bytesBodyAs(buf, body.encoding ?? 'utf8', body.sha256);
    if (typeof body.size === 'number' && rec.size !== body.size) rec.size = body.size;
    message.body = rec;
  }
  return ex;
}

/**
 * `bytes` on a buffer of their own: a clone copies a view's whole buffer, and bytes read
 * from Redis may be a slice of a larger one (the reply parser's).
 */
function whole(bytes: Buffer): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
