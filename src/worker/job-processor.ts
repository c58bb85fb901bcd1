import { DelayedError, type Job } from 'bullmq';
import type { TandemConfig } from '../config';
import type { ExchangeRecord } from '../records';
import type { RuntimeRules } from '../rules';
import type { ResultsStore } from '../store';
import type { CompareJobData } from '../queue';
import { dropParts, loadExchanges } from './job-exchanges';
import { waitsForNoiseModel, WARMUP_RETRY_MS } from './noise-warmup';
import type { PackComparer } from './pack-comparer';
import type { Slots } from './slots';

/**
 * The BullMQ processor of comparison jobs: loads a job's exchanges, compares and records
 * those that can be compared now (repeats among them teach the noise model), and moves the
 * job back (delayed `WARMUP_RETRY_MS`) with only the exchanges still waiting for their
 * route's noise model. A job done drops its parts. At most `slots` jobs run at once across
 * every partition. Resolves to the job's number of exchanges.
 *
 * @throws what `loadExchanges` and `PackComparer.compare` throw (the job fails); DelayedError for a job moved back.
 */
export function jobProcessor(deps: {
  store: ResultsStore;
  packs: PackComparer;
  runtimeRules: RuntimeRules;
  noise: TandemConfig['noise'];
  slots: Slots;
}): (job: Job<CompareJobData>, token?: string) => Promise<number> {
  const { store, packs, runtimeRules, noise, slots } = deps;
  const processor = async (job: Job<CompareJobData>, token?: string) => {
    const exchanges = await loadExchanges(store, job.data);
    // Compare what can be compared now (repeats among them teach the noise model); only the
    // exchanges still waiting for the model stay in the job, which comes back later.
    const waiting: number[] = [];
    const now: ExchangeRecord[] = [];
    for (let i = 0; i < exchanges.length; i++) {
      if (token && (await waitsForNoiseModel(exchanges[i], runtimeRules, noise))) waiting.push(i);
      else now.push(exchanges[i]);
    }
    if (now.length) await packs.compare(now);
    if (waiting.length) {
      const data = job.data;
      if (waiting.length < exchanges.length && 'exchanges' in data)
        await job.updateData({ ...data, exchanges: waiting.map((i) => data.exchanges[i]) });
      await job.moveToDelayed(Date.now() + WARMUP_RETRY_MS, token);
      throw new DelayedError();
    }
    dropParts(store, job.data);
    return exchanges.length;
  };
  return async (job, token) => {
    await slots.take();
    try {
      return await processor(job, token);
    } finally {
      slots.give();
    }
  };
}
