import { bodyBytes, type BodyRecord } from '../records';
import { header } from './content-coding';
import { redactBody } from './redact-body';

/** `redactBody`'s shape: what a redactor redacts each body of an exchange with. */
export type BodyMemo = typeof redactBody;

/**
 * `redactBody` remembering its results for one exchange: a body holding the same bytes
 * (the same Buffer, or equal bytes) under the same content-type and content-encoding gets
 * the first one's result, or itself when the first came back unchanged. Bodies without
 * kept bytes (decoded records, translator output) are redacted each time. With `loopBytes`,
 * each body read spends them (see `BodyRedaction.loopBytes`); one remembered spends nothing.
 */
export function bodyMemo(loopBytes?: { left: number }): BodyMemo {
  const seen: { bytes: Buffer; type: string | undefined; coding: string | undefined; from: BodyRecord; out: BodyRecord | null }[] = [];
  return (headers, b, given) => {
    const bytes = bodyBytes(b);
    // Object.assign, not `{ ...given, loopBytes }`: on Node 20 a spread followed by a field the
    // source lacks builds the object slowly (~2 µs against ~0.1 µs), once per body on the proxy's loop.
    const o = loopBytes ? Object.assign({}, given, { loopBytes }) : given;
    if (!b || !bytes) return redactBody(headers, b, o);
    const type = header(headers, 'content-type');
    const coding = header(headers, 'content-encoding');
    const hit = seen.find((s) => s.type === type && s.coding === coding && (s.bytes === bytes || s.bytes.equals(bytes)));
    if (hit) return hit.out === hit.from ? b : hit.out;
    const out = redactBody(headers, b, o);
    seen.push({ bytes, type, coding, from: b, out });
    return out;
  };
}
