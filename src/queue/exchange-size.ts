import type { BodyRecord, ExchangeRecord } from '../records';

/** Allowance for everything in an exchange besides its bodies (ids, headers, query). */
const OVERHEAD_BYTES = 2048;

/**
 * A cheap estimate of the memory an exchange holds while it waits to be queued: the
 * sizes of the bodies it keeps plus a fixed allowance. No serialising, no walking headers.
 *
 * @example
 * exchangeBytes(exchange); // e.g. 6144 for a request without body and two 2 KB JSON answers
 */
export function exchangeBytes(ex: ExchangeRecord): number {
  return (
    OVERHEAD_BYTES +
    held(ex.request.body) +
    held(ex.legacy.body) +
    held(ex.candidateRequest?.body) +
    held(ex.candidate?.body) +
    held(ex.legacyRepeat?.body)
  );
}

/** Bytes a body keeps (its size; nothing once truncated). Reading `size`, not `data`, leaves it undecoded. */
function held(body: BodyRecord | null | undefined): number {
  return !body || body.truncated ? 0 : body.size;
}
