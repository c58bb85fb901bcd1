import type { ExchangeRecord } from '../records';

/** Several exchanges in one BullMQ job: one JSON document and one script call for all. */
export interface ExchangePack {
  exchanges: ExchangeRecord[];
}

/** What a comparison job carries: one exchange (the common case at low load) or a pack. */
export type CompareJobData = ExchangeRecord | ExchangePack;

/** Exchanges per job when several are waiting (measured: per-exchange queueing cost halves at 16). */
export const DEFAULT_PACK_SIZE = 16;

/**
 * The exchanges a job carries, whichever form it has.
 *
 * @example
 * for (const ex of jobExchanges(job.data)) await compare(ex);
 */
export function jobExchanges(data: CompareJobData | null | undefined): ExchangeRecord[] {
  if (!data || typeof data !== 'object') return [];
  return 'exchanges' in data && Array.isArray(data.exchanges) ? data.exchanges : [data as ExchangeRecord];
}

/**
 * Jobs for a run of exchanges: packs of up to `packSize`, a lone exchange as itself.
 * Job ids derive from the exchange ids, so a batch re-sent after an unclear failure
 * adds nothing twice.
 *
 * @example
 * await queue.addBulk(packJobs(exchanges, 16, 'compare'));
 */
export function packJobs(exchanges: ExchangeRecord[], packSize: number, name: string) {
  const jobs: { name: string; data: CompareJobData; opts: { jobId: string } }[] = [];
  for (let i = 0; i < exchanges.length; i += packSize) {
    const pack = exchanges.slice(i, i + packSize);
    jobs.push(pack.length === 1
      ? { name, data: pack[0], opts: { jobId: pack[0].id } }
      : { name, data: { exchanges: pack }, opts: { jobId: `${pack[0].id}+${pack.length}` } });
  }
  return jobs;
}
