import IORedis from 'ioredis';
import { RecordFailed, ResultsStore, type RecordItem } from '../../src/store';
import { processExchange } from '../../src/worker';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { exchange, processDeps, RETENTION } from '../support/exchanges';

/**
 * A pack of results recorded in one call per route (`recordPack`) leaves Redis exactly as
 * recording them one by one (`record`) does: every key, every value, every index.
 */
describe('recording a pack', () => {
  const one = uniquePrefix('pack-one');
  const pack = uniquePrefix('pack-all');
  const passedPrefix = uniquePrefix('pack-passed');
  const stagedPrefix = uniquePrefix('pack-staged');
  let redis: IORedis;

  beforeAll(() => void (redis = new IORedis(TEST_REDIS_URL)));
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(one);
    await deletePrefix(pack);
    await deletePrefix(passedPrefix);
    await deletePrefix(stagedPrefix);
  });

  /** Every key under `prefix` (the prefix replaced by `P`) with its value, in a comparable form. */
  const dump = async (prefix: string): Promise<Record<string, unknown>> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    const out: Record<string, unknown> = {};
    for (const key of keys.sort()) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.getBuffer(key).then((b) => b?.toString('base64'))
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'zset'
              ? await redis.zrange(key, 0, -1, 'WITHSCORES')
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? (await redis.smembers(key)).sort()
                  : type;
      const expires = (await redis.pttl(key)) > 0;
      out[key.split(prefix).join('P')] = { expires, value: JSON.parse(JSON.stringify(value).split(prefix).join('P')) };
    }
    return out;
  };

  const items = async (): Promise<RecordItem[]> => {
    const at = 1_700_000_000_000;
    const exchanges = [
      exchange('m1', { price: 10, name: 'a' }, { price: 10, name: 'a' }, { at }),
      exchange('d1', { price: 10, tags: ['x'] }, { price: 11, tags: ['y'] }, { at: at + 1 }),
      exchange('d2', { price: 10, tags: ['x'] }, { price: 11, tags: ['y'] }, { at: at + 2 }),
      exchange('o1', { total: 1 }, { total: '1' }, { at: at + 3, route: 'orders' }),
      exchange('r1', { price: 10, ts: 1 }, { price: 10, ts: 2 }, { at: at + 4, repeat: { price: 10, ts: 3 } }),
      exchange('o2', { total: 2, when: 'now' }, { total: 2 }, { at: at + 5, route: 'orders' }),
      { ...exchange('e1', { a: 1 }, { a: 1 }, { at: at + 6 }), candidate: undefined, candidateError: { kind: 'timeout', message: 'slow' } },
      exchange('d1', { price: 10, tags: ['x'] }, { price: 11, tags: ['y'] }, { at: at + 1 }), // the same exchange again: counted once
    ] as RecordItem['exchange'][];
    exchanges[1] = { ...exchanges[1], customer: 'acme' };
    exchanges[7] = { ...exchanges[7], customer: 'acme' };
    const out: RecordItem[] = [];
    for (const ex of exchanges) {
      const processed = await processExchange(ex, processDeps());
      out.push({ exchange: ex, result: processed.result, extra: processed });
    }
    return out;
  };

  it('leaves Redis as recording each result alone does, and returns the same outcomes', async () => {
    const list = await items();
    const alone = new ResultsStore(redis, one, RETENTION);
    const together = new ResultsStore(redis, pack, RETENTION);
    const outcomes = [];
    for (const it of list) outcomes.push(await alone.record(it.exchange, it.result, it.extra));
    const settled = await together.recordPack(list);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual(outcomes);
    expect(outcomes).toEqual([
      'recorded',
      'new-signature',
      'recorded',
      'new-signature',
      'recorded',
      'new-signature',
      'recorded',
      'duplicate',
    ]);
    const [a, b] = [await dump(one), await dump(pack)];
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(b).toEqual(a);
    // Written once per pack, they still expire: the trend buckets, report indexes and customers' readiness windows.
    const expiring = Object.keys(b).filter((k) => /trend|ex-by|mm-by|readiness-customer/.test(k));
    expect(expiring.length).toBeGreaterThan(3);
    for (const k of expiring) expect([k, (b[k] as { expires: boolean }).expires]).toEqual([k, true]);
    expect((await together.counters(['product', 'orders'])).product).toMatchObject({ compared: 5, mismatch: 2, candidate_error: 1 });
  });

  it('staged exchange records leave Redis as records passed to the script do, with no staged key left', async () => {
    const list = await items();
    const passed = new ResultsStore(redis, passedPrefix, RETENTION, { stageFromChars: Infinity });
    const staged = new ResultsStore(redis, stagedPrefix, RETENTION, { stageFromChars: 0 });
    await passed.recordPack(list);
    const outcomes = await staged.recordPack(list);
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const [a, b] = [await dump(passedPrefix), await dump(stagedPrefix)];
    expect(Object.keys(b).length).toBeGreaterThan(20);
    expect(Object.keys(b).filter((k) => k.includes('staged'))).toEqual([]);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(b).toEqual(a);
    // Recorded again: 'duplicate', and the staged records are deleted all the same.
    expect((await staged.recordPack(list)).map((o) => o.status === 'fulfilled' && o.value)).toEqual(list.map(() => 'duplicate'));
    expect(Object.keys(await dump(stagedPrefix)).filter((k) => k.includes('staged'))).toEqual([]);
  });

  it('past the caps, with times out of order, leaves Redis as recording each result alone does', async () => {
    // Indexes, records, causes and signatures are written once per pack: the caps and age cuts must land as one by one.
    const retention = { mismatchesPerRoute: 3, exchangesPerRoute: 4, ttlSeconds: 3600 };
    const at = 1_700_000_200_000;
    const offsets = [5, 1, 9, 3, 7, 2, 8, 0, 6, 4, 11, 10];
    const list: RecordItem[] = [];
    for (const [i, o] of offsets.entries()) {
      const differs = i % 3 !== 0;
      const ex = {
        ...exchange(`c${i}`, { price: 10, n: i % 2 }, differs ? { price: 11 + (i % 4), n: String(i % 2) } : { price: 10, n: i % 2 }, {
          at: at + o * 1000,
          route: 'capped',
        }),
        customer: `cust${i % 3}`,
      };
      const processed = await processExchange(ex, processDeps());
      list.push({ exchange: ex, result: processed.result, extra: processed });
    }
    const alone = new ResultsStore(redis, one, retention);
    const together = new ResultsStore(redis, pack, retention);
    const outcomes = [];
    for (const it of list) outcomes.push(await alone.record(it.exchange, it.result, it.extra));
    const settled = await together.recordPack(list);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual(outcomes);
    const [a, b] = [await dump(one), await dump(pack)];
    const capped = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([k]) => k.includes('capped')));
    expect(Object.keys(capped(a)).length).toBeGreaterThan(10);
    expect(capped(b)).toEqual(capped(a));
  });

  it('an exchange whose record fails fails alone: the others of its pack are recorded', async () => {
    const store = new ResultsStore(redis, pack, RETENTION);
    const at = 1_700_000_100_000;
    const list: RecordItem[] = [];
    for (const [id, price] of [
      ['f1', 1],
      ['f2', 2],
      ['f3', 3],
    ] as const) {
      const ex = exchange(id, { price }, { price: -price }, { at, route: 'broken' });
      const processed = await processExchange(ex, processDeps());
      list.push({ exchange: ex, result: processed.result, extra: processed });
    }
    // A signature whose samples are not JSON makes the script fail on f2's mismatch only.
    list[1] = { ...list[1], result: { ...list[1].result, signature: 'bad' } };
    await redis.hset(store.keys.signatureMeta('broken'), 'bad|samples', 'not json');
    const settled = await store.recordPack(list);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { reason } = settled[1] as PromiseRejectedResult;
    expect(reason).toBeInstanceOf(RecordFailed);
    expect(String(reason)).toMatch(/invalid token/);
    expect(await redis.exists(store.keys.mismatch('f3'))).toBe(1);
    expect(await store.record(list[2].exchange, list[2].result, list[2].extra)).toBe('duplicate');
  });
});
