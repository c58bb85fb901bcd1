import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../log';
import type { ExchangeRecord } from '../records';
import type { ResultsStore } from '../store';
import { jobExchanges, type CompareJobData } from '../queue';
import type { FailedEntry, FailedJobCounts } from './failed-job-counts';
import { dropParts } from './job-exchanges';

/**
 * The `failed` listener of a worker's partitions: logs the failure, and a job that will not
 * come back (unrecoverable, or out of attempts) has its exchanges counted
 * (`dropped:job_failed`, through `counts`) and its parts dropped, so nothing is lost silently.
 *
 * @example
 * worker.on('failed', onFailedJob(failedCounts, store, log));
 */
export function onFailedJob(
  counts: FailedJobCounts,
  store: ResultsStore,
  log: Logger,
): (job: Job<CompareJobData> | undefined, err: Error) => void {
  return (job, err) => {
    log.warn({ job: job?.id, err: err.message }, 'comparison job failed');
    // A job out of attempts is never compared: count it, so nothing is lost silently.
    if (job && (err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))) {
      counts.add(failedEntries(String(job.id), jobExchanges(job.data)));
      dropParts(store, job.data);
    }
  };
}

/**
 * What `FailedJobCounts` counts for a failed job: each exchange by route and id (as its
 * record's done marker is keyed), and what has neither (a job whose data is not exchange
 * records) under route '' keyed by the job's id and its place in the job, so a job counts
 * the same entries however often it fails.
 *
 * @example
 * failedEntries('7', []); // [{ route: '', id: 'failed-job:7:0' }]
 */
export function failedEntries(jobId: string, exchanges: ExchangeRecord[]): FailedEntry[] {
  if (!exchanges.length) return [{ route: '', id: `failed-job:${jobId}:0` }];
  return exchanges.map((ex, i) =>
    typeof ex?.route === 'string' && ex.route && typeof ex.id === 'string'
      ? { route: ex.route, id: ex.id }
      : { route: '', id: `failed-job:${jobId}:${i}` },
  );
}
