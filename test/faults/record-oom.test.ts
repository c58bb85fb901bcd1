import { RecordFailed, ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { startRedisProcess, type RedisProcess } from '../support/processes';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

/**
 * Redis over its maxmemory with `noeviction` refuses a script's writes until its first
 * one succeeds: the record script's first write is refused, so a pack over the limit writes
 * nothing at all (no done marker without its counts, no counts without the marker), and is
 * counted once when Redis takes writes again. A private redis-server, never the shared one.
 */
describe('fault: Redis over maxmemory (noeviction) while a pack is recorded', () => {
  let redis: RedisProcess;
  beforeAll(async () => void (redis = await startRedisProcess(['--maxmemory-policy', 'noeviction'])));
  afterAll(() => redis?.remove());

  const items = async (ids: string[]): Promise<RecordItem[]> => {
    const out: RecordItem[] = [];
    for (const [i, id] of ids.entries()) {
      const ex = exchange(id, { price: i, at: 'x' }, { price: i % 2 ? -i : i, at: 'x' }, { route: 'oom', at: 1_700_000_000_000 + i });
      const processed = await processExchange(ex, processDeps());
      out.push({ exchange: ex, result: processed.result, extra: processed });
    }
    return out;
  };

  it('writes nothing while Redis refuses writes, then counts each exchange once', async () => {
    const client = redis.client();
    const store = new ResultsStore(client, 'oom', RETENTION);
    const first = await items(['a0', 'a1']);
    await store.recordPack(first);
    const before = await client.dbsize();
    const counted = (await store.counters(['oom'])).oom;
    expect(counted).toEqual({ compared: 2, match: 1, mismatch: 1 });

    // A pack of new exchanges and one already recorded (its part writes nothing), over the limit.
    const pack = [...(await items(['b0', 'b1', 'b2', 'b3'])), first[1]];
    await client.config('SET', 'maxmemory', '1');
    const refused = await store.recordPack(pack);
    expect(refused.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).constructor))).toEqual([
      RecordFailed,
      RecordFailed,
      RecordFailed,
      RecordFailed,
      'duplicate',
    ]);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/OOM/);
    await client.config('SET', 'maxmemory', '0');
    expect(await client.dbsize()).toBe(before);
    expect((await store.counters(['oom'])).oom).toEqual(counted);

    // Redis takes writes again: the job comes back, each exchange is counted once.
    const again = await store.recordPack(pack);
    expect(again.map((s) => s.status === 'fulfilled' && s.value)).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'duplicate']);
    expect((await store.counters(['oom'])).oom).toEqual({ compared: 6, match: 3, mismatch: 3 });
  });
});
