import { UnrecoverableError } from 'bullmq';
import type { ExchangeRecord } from '../records';
import { pipelineByTag, type ResultsStore } from '../store';
import { attachBodies, expandCandidateRequest, jobExchanges, type CompareJobData } from '../queue';

/**
 * A job's exchanges as they were recorded: parts sent beside the job are read back (as
 * bytes) and attached, and a candidate request queued as the client's relayed one is given back.
 * Resolves to [] when the parts are gone because every exchange was already recorded (a
 * batch sent again after a lost reply).
 *
 * @throws UnrecoverableError when the data is not exchange records, or its parts are gone
 *   (and not all of its exchanges recorded); a Redis error while the connection is not ready
 *   (the job fails and comes back).
 */
export async function loadExchanges(store: ResultsStore, data: CompareJobData): Promise<ExchangeRecord[]> {
  const exchanges = jobExchanges(data);
  if (!exchanges.length || exchanges.some((ex) => !ex?.id || !ex.route || !ex.legacy))
    throw new UnrecoverableError('job data is not an exchange record');
  const key = 'bodies' in data ? data.bodies : undefined;
  if (!key) return exchanges.map(expandCandidateRequest);
  const redis = store.redis;
  try {
    return attachBodies(exchanges, await redis.lrangeBuffer(key, 0, -1)).map(expandCandidateRequest);
  } catch (e) {
    if (redis.status !== 'ready') throw e;
    // A batch sent again after a lost reply can add a job that was already compared, and whose
    // parts the first run removed: nothing is left to do, and nothing to fail.
    if ((await recordedOf(store, exchanges)).size === exchanges.length) return [];
    throw new UnrecoverableError(`the job's bodies are gone (${(e as Error).message})`);
  }
}

/** The exchanges among `exchanges` whose result is already recorded (their done marker exists). */
async function recordedOf(store: ResultsStore, exchanges: ExchangeRecord[]): Promise<Set<ExchangeRecord>> {
  const withIds = exchanges.filter((ex) => typeof ex?.id === 'string');
  const done = new Set<ExchangeRecord>();
  if (!withIds.length) return done;
  const k = store.keys;
  const doneKey = (ex: ExchangeRecord) => k.done(typeof ex.route === 'string' ? k.recordId(ex.route, ex.id) : ex.id);
  const found = await pipelineByTag(
    store.redis,
    withIds.map((ex) => ({ key: doneKey(ex), add: (p) => p.exists(doneKey(ex)) })),
  );
  withIds.forEach((ex, i) => found[i]?.[1] === 1 && done.add(ex));
  return done;
}

/** Remove the parts sent beside a job (once it is compared, or failed for good); errors ignored. */
export function dropParts(store: ResultsStore, data: CompareJobData | undefined): void {
  if (data && 'bodies' in data && data.bodies) store.redis.unlink(data.bodies).catch(() => undefined);
}
