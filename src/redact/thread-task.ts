import type { ExchangeRecord } from '../records';
import type { RedactorSettings } from './redact-exchange';

/** The messages of an exchange that carry a body. */
export const BODY_SLOTS = ['request', 'legacy', 'candidateRequest', 'candidate', 'legacyRepeat'] as const;
export type BodySlot = (typeof BODY_SLOTS)[number];

/**
 * One exchange for the redaction thread (structured-cloned): its bodies that keep their
 * bytes go as those bytes (`bytes[slot]`, their records' `data` left empty), so the proxy
 * never decodes them to text for the copy.
 */
export interface RedactTask {
  settings: RedactorSettings;
  exchange: ExchangeRecord;
  bytes: Partial<Record<BodySlot, Uint8Array>>;
}

/** The redacted exchange; the bodies of `same` came back unchanged and are sent back as null. */
export interface RedactAnswer {
  exchange: ExchangeRecord;
  same: BodySlot[];
}
