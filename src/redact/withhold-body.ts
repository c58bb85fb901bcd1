import { decodeBody, type BodyRecord } from '../records';
import type { Fingerprint } from './fingerprint';

/** Why a body is withheld, when the comparison would have said why it could not read it. */
export interface Withheld {
  unreadable?: BodyRecord['unreadable'];
}

/** Withheld, without a reason (a secret name occurs in text that could not be read). */
export const WITHHELD: Withheld = {};
/** Withheld as unparseable, `why` it could not be read. */
export const unparseable = (why: string): Withheld => ({
  unreadable: { kind: 'unparseable', reason: `${why} (withheld: it may hold a secret)` },
});

/**
 * A body by size and keyed fingerprint only, `reason` saying why it was not read (stored as
 * its `unreadable`, withheld as `redactBody` withholds); a missing, truncated or already
 * withheld body comes back as it is. One HMAC of its bytes.
 */
export function withholdBody(body: BodyRecord | null, fp: Fingerprint, reason: string): BodyRecord | null {
  if (!body || body.truncated || body.withheld) return body;
  return withhold(body, decodeBody(body), fp, unparseable(reason).unreadable);
}

/** The body by size and keyed fingerprint only (and why it could not be read, when the comparison would have said so). */
export function withhold(body: BodyRecord, raw: Buffer, fp: Fingerprint, unreadable?: BodyRecord['unreadable']): BodyRecord {
  return { encoding: 'utf8', data: '', size: body.size, truncated: false, withheld: fp(raw), ...(unreadable ? { unreadable } : {}) };
}
