import { readFile } from 'node:fs/promises';
import type { ExchangeRecord } from '../records';
import {
  closeOneShotRedis,
  ONE_SHOT_COMMAND_MS,
  oneShotLost,
  openOneShotRedis,
  RedisStoppedAnswering,
  ResultsStore,
  type KeyDeployment,
  type RedisTarget,
} from '../store';

/**
 * The compared exchanges in a file written by `tandem dry-run --json` or `--save`.
 * Throws naming the file when it is not JSON or holds none.
 *
 * @example
 * const exchanges = await exchangesFromDryRun('dry-run.json');
 */
export async function exchangesFromDryRun(file: string): Promise<ExchangeRecord[]> {
  const text = await readFile(file, 'utf8');
  let doc: { exchanges?: ExchangeRecord[] };
  try {
    doc = JSON.parse(text) as { exchanges?: ExchangeRecord[] };
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); write it with tandem dry-run --json or --save`);
  }
  if (!Array.isArray(doc?.exchanges)) throw new Error(`${file}: no "exchanges"; write it with tandem dry-run --json or --save`);
  return doc.exchanges;
}

/**
 * The newest stored exchanges of a route (at most `limit`), as retention kept them.
 *
 * @example
 * const exchanges = await exchangesFromRedis('redis://127.0.0.1:6379', 'tandem', 'product', 500);
 */
export async function exchangesFromRedis(
  target: RedisTarget,
  deployment: string | KeyDeployment,
  route: string,
  limit: number,
): Promise<ExchangeRecord[]> {
  // Fails with `RedisNotAnswering` (5 s) or a command's timeout, never waits for ever (see ONE_SHOT_COMMAND_MS).
  const redis = await openOneShotRedis(target, ONE_SHOT_COMMAND_MS.records);
  try {
    const store = new ResultsStore(redis, deployment, { mismatchesPerRoute: 0, exchangesPerRoute: 0, ttlSeconds: 0 });
    const ids = await store.exchangeIds(route, limit);
    const out: ExchangeRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) for (const ex of await store.exchanges(ids.slice(i, i + 100))) if (ex) out.push(ex);
    return out;
  } catch (e) {
    const lost = oneShotLost(redis);
    throw lost ? new RedisStoppedAnswering(lost, `the stored exchanges of route ${route} were not read: nothing was suggested`) : e;
  } finally {
    await closeOneShotRedis(redis);
  }
}
