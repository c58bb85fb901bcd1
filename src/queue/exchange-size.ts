import type { ExchangeRecord } from '../records';

/** Allowance for everything in an exchange besides its bodies (ids, headers, query). */
const OVERHEAD_BYTES = 2048;

/**
 * A cheap estimate of the memory an exchange holds while it waits to be queued: the
 * lengths of its body data plus a fixed allowance. No serialising, no walking headers.
 *
 * @example
 * exchangeBytes(exchange); // e.g. 6144 for a request without body and two 2 KB JSON answers
 */
export function exchangeBytes(ex: ExchangeRecord): number {
  return (
    OVERHEAD_BYTES +
    (ex.request.body?.data.length ?? 0) +
    (ex.legacy.body?.data.length ?? 0) +
    (ex.candidateRequest?.body?.data.length ?? 0) +
    (ex.candidate?.body?.data.length ?? 0) +
    (ex.legacyRepeat?.body?.data.length ?? 0)
  );
}
