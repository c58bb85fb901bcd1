import type { BodyRecord, ExchangeRecord } from '../records';
import { bodyBytes } from '../records';

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
 * Put the bytes back: every body reference becomes a whole body record again. Throws
 * when a part is missing (the parts expired before the job ran).
 *
 * @example
 * const whole = attachBodies(job.data.exchanges, await redis.lrangeBuffer(job.data.bodies, 0, -1));
 */
export function attachBodies(exchanges: ExchangeRecord[], parts: Buffer[]): ExchangeRecord[] {
  // A part several bodies share (a candidate answering legacy's bytes) is decoded once: one string for all.
  const texts = new Map<string, string>();
  const text = (part: number, encoding: BufferEncoding) => {
    const key = `${part}:${encoding}`;
    let t = texts.get(key);
    if (t === undefined) texts.set(key, (t = parts[part].toString(encoding)));
    return t;
  };
  return exchanges.map((ex) => {
    let copy: Record<string, unknown> | null = null;
    for (const slot of SLOTS) {
      const message = ex[slot];
      const ref = message?.body as BodyPartRef | BodyRecord | null | undefined;
      if (!ref || !('part' in ref)) continue;
      const bytes = parts[ref.part];
      if (!bytes) throw new Error(`body part ${ref.part} of exchange ${ex.id} is missing`);
      const body: BodyRecord = {
        encoding: ref.encoding,
        data: text(ref.part, ref.encoding),
        size: ref.size,
        truncated: false,
        ...(ref.sha256 ? { sha256: ref.sha256 } : {}),
      };
      copy ??= { ...ex };
      copy[slot] = { ...message, body };
    }
    return (copy ?? ex) as ExchangeRecord;
  });
}
