import { Writable } from 'node:stream';
import pino from 'pino';
import { FailedJobCounts } from '../../src/worker/failed-job-counts';
import type { ResultsStore } from '../../src/store';

/** One pino log line as `FailedJobCounts` writes it (level 40 warn, 50 error). */
export interface LogLine {
  level: number;
  msg: string;
  exchanges?: number;
}

/**
 * A pino logger (level info) whose lines are parsed into `lines`, for asserting what
 * `FailedJobCounts` logged. Clear with `lines.length = 0`.
 *
 * @example
 * const { lines, log } = capturedLog();
 * log.warn('x'); // lines: [{ level: 40, msg: 'x', ... }]
 */
export function capturedLog(): { lines: LogLine[]; log: pino.Logger } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString())), done()) }));
  return { lines, log };
}

/**
 * `FailedJobCounts` as the worker makes it: writing each failed job's exchanges with
 * `store.countOnce(…, 'dropped:job_failed')`, every `intervalMs`, holding at most `max`
 * (default `MAX_FAILED_HELD`).
 */
export function failedJobCounts(store: ResultsStore, log: pino.Logger, intervalMs: number, max?: number): FailedJobCounts {
  return new FailedJobCounts((e) => store.countOnce(e, 'dropped:job_failed'), log, intervalMs, max);
}
