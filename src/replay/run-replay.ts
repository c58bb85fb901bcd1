import type { TandemConfig } from '../config';
import type { Logger } from '../log';
import type { ReplaySource } from './open-replay-file';
import { Pacer } from './pacer';
import { addInvalid, addOutcome, emptySummary, LOST_LISTED, type ReplaySummary } from './replay-summary';
import type { ReplayRequest } from './replay-request';
import { ReplaySession } from './replay-session';

/** How fast a replay goes, and who hears about its progress. */
export interface ReplayOptions {
  /** Requests started per second; 0 for as fast as `concurrency` allows. */
  rate: number;
  /** Requests in flight at once. */
  concurrency: number;
  log: Logger;
  /** Called after every entry with the running totals. */
  onProgress?(summary: ReplaySummary): void;
  /** How long to wait for one comparison before counting it as `no_result` (default 120 s). */
  resultTimeoutMs?: number;
}

/**
 * Replay every request of a file through the translation and comparison path, at the
 * given rate and concurrency, and wait for every result. Results land in the
 * configured Redis and report like live traffic (marked `source: 'replay'`). When Redis
 * stops answering mid-run (see `watchRedis`: within about 3 s) the run stops: requests
 * awaiting their result count `failed: redis_lost`, and `summary.redisLost` says which
 * Redis, why, which requests were sent and not compared, and how many entries were not sent.
 *
 * @example
 * const summary = await runReplay(config, await openReplayFile('yesterday.har'), { rate: 50, concurrency: 8, log });
 * console.log(summary.match, summary.mismatch);
 */
export async function runReplay(config: TandemConfig, source: ReplaySource, o: ReplayOptions): Promise<ReplaySummary> {
  const summary = emptySummary(source.total);
  const started = performance.now();
  const session = await ReplaySession.start(config, { log: o.log, concurrency: o.concurrency, resultTimeoutMs: o.resultTimeoutMs });
  const pacer = new Pacer(o.rate, o.concurrency);
  const progress = () => {
    summary.elapsedMs = performance.now() - started;
    o.onProgress?.(summary);
  };
  const lost: string[] = [];
  try {
    for await (const item of source.items) {
      if (session.redisLost()) break;
      if (!item.request) {
        addInvalid(summary, `entry ${item.entry}: ${item.error ?? 'unreadable'}`);
        progress();
        continue;
      }
      const request = item.request;
      const skip = session.skip(request);
      if (skip) {
        addOutcome(summary, { kind: 'skipped', reason: skip });
        progress();
        continue;
      }
      const release = await pacer.acquire();
      if (session.redisLost()) {
        release();
        break;
      }
      void session
        .replay(request)
        .catch((e: Error) => ({ kind: 'failed' as const, route: '(none)', reason: `error: ${e.message}` }))
        .then((outcome) => {
          if (outcome.kind === 'failed' && outcome.reason === 'redis_lost' && lost.length < LOST_LISTED)
            lost.push(labelOf(item.entry, request));
          addOutcome(summary, outcome);
          progress();
        })
        .finally(release);
    }
    await pacer.drain();
  } finally {
    await session.close();
  }
  summary.elapsedMs = performance.now() - started;
  const gone = session.redisLost();
  if (gone) summary.redisLost = { ...gone, notCompared: lost, notReplayed: summary.total - summary.done };
  return summary;
}

/** `entry 7 (GET /p/7)`: where a request is in its file; the path without its query or `;` parameters (they may carry secrets). */
function labelOf(entry: number, r: ReplayRequest): string {
  return `entry ${entry} (${r.method} ${r.path.split(';')[0]})`;
}
