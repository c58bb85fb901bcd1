import { RuntimeRules, RulePathError } from '../../src/rules';
import { storeKeys, type RedisClient } from '../../src/store';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';

const learning = { learnRate: 0.5, learnSamples: 5 };

describe('RuntimeRules', () => {
  const prefix = uniquePrefix('rules');
  const keys = storeKeys(prefix);
  let redisA: RedisClient;
  let redisB: RedisClient;
  let a: RuntimeRules;
  let b: RuntimeRules;

  beforeAll(() => {
    redisA = openTestRedis();
    redisB = openTestRedis();
    a = new RuntimeRules(redisA, prefix, learning);
    b = new RuntimeRules(redisB, prefix, learning);
  });
  afterAll(async () => {
    await Promise.all([redisA.quit(), redisB.quit()]);
    await deletePrefix(prefix);
  });

  it('applies an ignore added by one instance in another within a second', async () => {
    const base = { ignore: ['meta.**'] };
    expect((await b.rulesFor('product', base)).ignore).toEqual(['meta.**']); // cached by b now
    const cachedBefore = Date.now(); // b's cached read started before this
    await a.addIgnore('product', 'items[*].etag', 'report');
    // b reads the route again at least every refreshMs (1000 by default): its first call once a second has passed
    // since its cached read sees the change, however slow the machine. (Polling from the change and bounding the
    // time to 1100 ms left the poll's own timers and round trips 100 ms, which a loaded machine overran.)
    for (let left; (left = cachedBefore + 1000 - Date.now()) > 0;) await new Promise((r) => setTimeout(r, left));
    expect((await b.rulesFor('product', base)).ignore).toEqual(['meta.**', 'items[*].etag']);
  });

  it('returns the same rules object while nothing changed (compiled rules stay cached)', async () => {
    const base = {};
    const first = await a.rulesFor('cache', base);
    expect(await a.rulesFor('cache', base)).toBe(first);
  });

  it('lists ignore, noise and not-noise paths, and removes them', async () => {
    await a.addIgnore('listed', 'x.y', 'report');
    await a.markNoise('listed', 'meta.ts', 'report');
    await a.unmarkNoise('listed', 'price', 'alice');
    expect(await b.list('listed')).toEqual({
      ignore: ['x.y'],
      noise: ['meta.ts'],
      notNoise: ['price'],
      unordered: [],
      arrayKeys: {},
      learned: [],
    });
    await a.removeIgnore('listed', 'x.y', 'report');
    await a.markNoise('listed', 'price', 'report'); // marking clears "not noise"
    expect(await b.list('listed')).toEqual({
      ignore: [],
      noise: ['meta.ts', 'price'],
      notNoise: [],
      unordered: [],
      arrayKeys: {},
      learned: [],
    });
    const audit = await b.audit('listed');
    expect(audit.map((e) => `${e.action} ${e.path} ${e.actor}`)).toEqual([
      'markNoise price report',
      'removeIgnore x.y report',
      'unmarkNoise price alice',
      'markNoise meta.ts report',
      'addIgnore x.y report',
    ]);
  });

  it('merges learned noise into the rules, and "not noise" overrides it', async () => {
    await redisA.hset(keys.counters('learn'), 'repeated', 10);
    await redisA.hset(keys.repeatFields('learn'), { ts: 10, requestId: 6, price: 2 });
    const base = { noise: ['cfg.noise'] };
    expect((await a.fresh('learn')).lists.learned).toEqual(['requestId', 'ts']);
    expect((await a.rulesFor('learn', base)).noise).toEqual(['cfg.noise', 'requestId', 'ts']);
    await a.unmarkNoise('learn', 'ts', 'report');
    expect((await a.rulesFor('learn', base)).noise).toEqual(['cfg.noise', 'requestId']);
    expect(await a.list('learn')).toEqual({
      ignore: [],
      noise: [],
      notNoise: ['ts'],
      unordered: [],
      arrayKeys: {},
      learned: ['requestId'],
    });
  });

  it('refuses a malformed path', async () => {
    await expect(a.addIgnore('product', 'items[', 'report')).rejects.toThrow(RulePathError);
    await expect(a.markNoise('product', '', 'report')).rejects.toThrow('non-empty');
  });

  it('compares an array unordered or matches its elements by a key, from the report, with an audit entry each', async () => {
    await a.addUnordered('shape', 'tags', 'ada');
    await a.setArrayKey('shape', 'items', 'sku', 'ada');
    const merged = await a.rulesFor('shape', { unordered: ['labels'], arrayKeys: { items: 'id', other: 'x' } });
    expect(merged.unordered).toEqual(['labels', 'tags']);
    expect(merged.arrayKeys).toEqual({ items: 'sku', other: 'x' });
    expect(() => a.setArrayKey('shape', 'items', 'not a key!', 'ada')).toThrow(RulePathError);
    await a.removeUnordered('shape', 'tags', 'bob');
    await a.removeArrayKey('shape', 'items', 'bob');
    expect(await a.list('shape')).toMatchObject({ unordered: [], arrayKeys: {} });
    expect((await a.audit('shape')).map((e) => `${e.action} ${e.path}${e.key ? ` ${e.key}` : ''} ${e.actor}`)).toEqual([
      'removeArrayKey items bob',
      'removeUnordered tags bob',
      'setArrayKey items sku ada',
      'addUnordered tags ada',
    ]);
  });
});
