import type { BodyRecord, ExchangeRecord } from '../records';
import { bodyBytes, bytesBodyAs } from '../records';

/** A body whose bytes travel beside the job's JSON: `part` indexes the job's list of body parts. */
export interface BodyPartRef {
  encoding: BodyRecord['encoding'];
  size: number;
  truncated: false;
  sha256?: string;
  part: number;
}

const SLOTS = ['request', 'legacy', 'candidateRequest', 'candidate', 'legacyRepeat'] as const;

/**
 * Take the bytes out of every body that still holds them (bodies captured on the wire),
 * leaving a reference in their place: the job's JSON then carries no body text (no
 * decoding, escaping or copying of bodies in the proxy), and the bytes go to Redis as
 * they are. The same bytes are sent once: a translated request that kept the client's
 * body, or a candidate answer byte-equal to legacy's, refers to the same part.
 *
 * @example
 * const { exchanges, parts } = detachBodies(pack); // parts: Buffer[], exchanges: JSON-ready copies
 */
export function detachBodies(exchanges: ExchangeRecord[]): { exchanges: ExchangeRecord[]; parts: Buffer[] } {
  const parts: Buffer[] = [];
  const out = exchanges.map((ex) => {
    const mine: { bytes: Buffer; part: number }[] = [];
    let copy: Record<string, unknown> | null = null;
    for (const slot of SLOTS) {
      const message = ex[slot];
      const bytes = bodyBytes(message?.body);
      if (!message?.body || !bytes) continue;
      let same = mine.find((m) => m.bytes === bytes || (m.bytes.length === bytes.length && m.bytes.equals(bytes)));
      if (!same) mine.push((same = { bytes, part: parts.push(bytes) - 1 }));
      const { encoding, size, sha256 } = message.body;
      const ref: BodyPartRef = { encoding, size, truncated: false, part: same.part, ...(sha256 ? { sha256 } : {}) };
      copy ??= { ...ex };
      copy[slot] = { ...message, body: ref };
    }
    return (copy ?? ex) as ExchangeRecord;
  });
  return { exchanges: out, parts };
}

/**
 * Put the bytes back: every body reference becomes a whole body record again, holding its
 * part's bytes (see `bytesBodyAs`): its `data` is decoded only when something reads it,
 * and bodies sharing a part share its bytes (a comparison of the two then needs no text).
 * Throws when a part is missing (the parts expired before the job ran).
 *
 * @example
 * const whole = attachBodies(job.data.exchanges, await redis.lrangeBuffer(job.data.bodies, 0, -1));
 */
export function attachBodies(exchanges: ExchangeRecord[], parts: Buffer[]): ExchangeRecord[] {
  return exchanges.map((ex) => {
    let copy: Record<string, unknown> | null = null;
    for (const slot of SLOTS) {
      const message = ex[slot];
      const ref = message?.body as BodyPartRef | BodyRecord | null | undefined;
      if (!ref || !('part' in ref)) continue;
      const bytes = parts[ref.part];
      if (!bytes) throw new Error(`body part ${ref.part} of exchange ${ex.id} is missing`);
      const body = bytesBodyAs(bytes, ref.encoding, ref.sha256);
      // the size as queued (a part holds the body's bytes: the same, unless the job was altered)
      if (body.size !== ref.size) body.size = ref.size;
      copy ??= { ...ex };
      copy[slot] = { ...message, body };
    }
    return (copy ?? ex) as ExchangeRecord;
  });
}
