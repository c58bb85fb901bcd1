import {
  derivedRouteKeys,
  hashTagOf,
  KEY_SPECS,
  keySchema,
  keySegment,
  queueJobBodiesKey,
  ResultsStore,
  type KeyName,
  type RedisClient,
} from '../../src/store';
import { markOfId, newExchangeId, routeMark } from '../../src/records';
import { deletePrefix, keysUnder, openTestRedis, uniquePrefix } from '../support/redis';
import { exchange } from '../support/exchanges';

const HOSTILE = [
  'a:b',
  'a',
  'b',
  '}{x',
  '{x}',
  '*',
  '?',
  '[a-z]',
  'a|b',
  'a b',
  'a%3Ab',
  '~',
  '',
  'x'.repeat(5000),
  'y'.repeat(101),
  'y'.repeat(100),
  'é',
  'e\u0301',
  '客户',
  '💥',
  'a\nb',
  'a\u0000b',
  '..',
  'route:other:counters',
];

describe('key schema: names, escaping, derived keys', () => {
  it('keeps every key name it had (a single Redis sees no change)', () => {
    const k = keySchema('tandem');
    expect(k.counters('products')).toBe('{tandem}:route:products:counters');
    expect(k.mismatch('lx3k-1')).toBe('{tandem}:mismatch:lx3k-1');
    expect(k.done('lx3k-1')).toBe('{tandem}:done:lx3k-1');
    expect(k.rolloutRoute('product')).toBe('{tandem}:rollout:route:product');
    expect(k.rolloutVersion).toBe('{tandem}:rollout:version');
    expect(k.rules('product')).toBe('{tandem}:rules:product');
    expect(k.mismatchesByRisk('seeded', 'high')).toBe('{tandem}:route:seeded:mm-by:risk:high');
    expect(k.customerReadiness('p', 'acme')).toBe('{tandem}:route:p:readiness-customer:acme');
    expect(k.prefixOf('exchangesByCustomer', 'p')).toBe('{tandem}:route:p:ex-by:customer:');
    expect(k.queuePrefix).toBe('{tandem}');
  });

  it('gives queue partition 0 the deployment tag and every other partition its own, never a route tag', () => {
    const k = keySchema('tandem');
    expect([0, 1, 2].map((i) => k.queueTag(i))).toEqual(['{tandem}', '{tandem:queue:1}', '{tandem:queue:2}']);
    expect(k.queuePattern('compare')).toBe('{tandem}:compare:*');
    expect(k.queuePattern('compare', 2)).toBe('{tandem:queue:2}:compare:*');
    expect(queueJobBodiesKey(`${k.queueTag(2)}:compare`, 'lx3k-1+16')).toBe('{tandem:queue:2}:compare:bodies:lx3k-1%2B16');
    expect(k.queuePartitions('compare')).toBe('{tandem}:compare:partitions');
    // a route segment never holds ':', so no route, however named, shares a partition's tag
    const routeTags = HOSTILE.concat(['queue:1', 'queue', '1']).map(
      (r) => keySchema('tandem', { tagging: 'route' }).counters(r).split('}')[0] + '}',
    );
    for (const i of [1, 2, 3]) expect(routeTags).not.toContain(k.queueTag(i));
    expect(() => k.queueTag(-1)).toThrow(RangeError);
    expect(() => k.queueTag(1.5)).toThrow(RangeError);
  });

  it('escapes or hashes outside values, so no two values share a segment and none leaves its own', () => {
    const segments = HOSTILE.map(keySegment);
    expect(new Set(segments).size).toBe(HOSTILE.length);
    for (const s of segments) {
      expect(s).toMatch(/^([A-Za-z0-9_.@%-]{0,100}|~[0-9a-f]{64})$/);
      expect(s.length).toBeLessThanOrEqual(100);
    }
    const k = keySchema('tandem');
    const names = HOSTILE.map((c) => k.exchangesByCustomer('p', c));
    expect(new Set(names).size).toBe(HOSTILE.length);
    for (const n of names) {
      expect(n.startsWith('{tandem}:route:p:ex-by:customer:')).toBe(true);
      // one hash tag, nothing after the family's prefix that a key separator or a glob could read
      expect(n.slice('{tandem}:route:p:ex-by:customer:'.length)).not.toMatch(/[:{}*?[\]\s|]/);
    }
    // nor does a customer reach another family or another route's keys
    expect(names).not.toContain(k.counters('other'));
    expect(k.exchangesByCustomer('p', 'a:b')).not.toBe(k.exchangesByCustomer('p:a', 'b'));
  });

  it('declares every derived key once; clear-derived reads the fixed ones and the families from it', () => {
    const { fixed, families } = derivedRouteKeys();
    expect(fixed).toEqual(expect.arrayContaining<KeyName>(['signatures', 'fieldTotals', 'customerSet', 'causes']));
    expect(families).toEqual(
      expect.arrayContaining<KeyName>(['mismatchesByCustomer', 'exchangesByClass', 'trend', 'customerReadiness', 'causeCustomers']),
    );
    expect(fixed).not.toContain('counters');
    // one SCAN pass finds every family of a route, and nothing of a route whose name starts alike
    expect(keySchema('tandem').familiesPattern(families, 'p')).toBe('{tandem}:route:p:*');
    const r = keySchema('tandem', { tagging: 'route' });
    expect(r.familiesPattern(families, 'p*')).toBe(`{tandem:r${routeMark('p*')}}:route:p%2A:*`);
    expect(fixed).not.toContain('rules');
    for (const name of Object.keys(KEY_SPECS) as KeyName[]) expect(KEY_SPECS[name].expiry).not.toBe('');
  });

  it('with per-route tagging, a route keeps every one of its keys, and its records, under its own short hash tag', () => {
    const k = keySchema('tandem', { tagging: 'route' });
    const tag = `{tandem:r${routeMark('p')}}:`;
    expect(tag).toMatch(/^\{tandem:r[0-9a-f]{8}\}:$/);
    const id = newExchangeId(1, 'p');
    const route = [
      k.counters('p'),
      k.mismatchesByCustomer('p', '}{x'),
      k.trend('p', 1),
      k.prefixOf('customerReadiness', 'p'),
      k.notifyRate('p', 3),
      k.done(id),
      k.exchange(id),
      k.mismatch(id),
      k.recordPrefix('mismatch', 'p'),
    ];
    for (const n of route) expect(n.startsWith(tag)).toBe(true);
    expect(k.counters('p')).toBe(`${tag}route:p:counters`);
    expect(k.mismatch(id)).toBe(`${tag}mismatch:${id}`);
    expect(k.routeTag('p')).toBe(tag.slice(0, -1));
    // the few global keys, rules and rollout state stay in the deployment's slot
    for (const n of [k.routes, k.drops, k.rolloutVersion, k.rolloutAudit, k.rolloutRoute('p'), k.rules('p'), k.rulesAudit('p')])
      expect(n.startsWith('{tandem}:')).toBe(true);
    expect(k.counters('q').startsWith(`{tandem:r${routeMark('q')}}:`)).toBe(true);
    // an id without a mark (older data) falls back to the deployment's tag; recording gives it its route's mark
    expect(k.mismatch('lx3k-1')).toBe('{tandem}:mismatch:lx3k-1');
    expect(k.recordId('p', 'lx3k-1')).toBe(`${routeMark('p')}.lx3k-1`);
    expect(k.recordId('p', id)).toBe(id);
    expect(k.mismatch(k.recordId('p', 'lx3k-1')).startsWith(tag)).toBe(true);
    expect(hashTagOf(k.counters('p'))).toBe(`tandem:r${routeMark('p')}`);
    expect(hashTagOf('{}x')).toBe('{}x');
    // deployment tagging: every name as it always was, ids kept as given
    const d = keySchema('tandem');
    expect(d.mismatch(id)).toBe(`{tandem}:mismatch:${id}`);
    expect(d.recordId('p', 'lx3k-1')).toBe('lx3k-1');
    expect(d.recordPrefix('exchange', 'p')).toBe('{tandem}:exchange:');
  });

  it('new exchange ids start with their route mark', () => {
    const id = newExchangeId(Date.now(), 'product');
    expect(id).toMatch(/^[0-9a-f]{8}\.[0-9a-z]+-[0-9a-f-]{36}$/);
    expect(markOfId(id)).toBe(routeMark('product'));
    expect(markOfId('lx3k-1')).toBeUndefined();
    expect(keySegment(id)).toBe(id);
  });
});

describe('hostile customer ids in Redis', () => {
  const prefix = uniquePrefix('hostile-ids');
  let redis: RedisClient;
  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it('each gets its own per-customer keys under the route, and counts reconcile', async () => {
    redis = openTestRedis();
    const store = new ResultsStore(redis, prefix, { mismatchesPerRoute: 100, exchangesPerRoute: 100, ttlSeconds: 3600 });
    let n = 0;
    for (const customer of HOSTILE) {
      const ex = { ...exchange(`hx-${n++}`, { a: 1 }, { a: 1 }), customer };
      await store.record(ex, { class: 'match', differences: [], noise: [], suspectedNoise: [] }, { fieldPaths: [], noisePaths: [] });
    }
    const keys = await keysUnder(prefix);
    const tag = `{${prefix}}:`;
    // every key stays under the deployment's tag and a declared family
    for (const key of keys) expect(key.startsWith(tag)).toBe(true);
    const byCustomer = keys.filter((key) => key.startsWith(`${tag}route:product:ex-by:customer:`));
    expect(byCustomer).toHaveLength(HOSTILE.length);
    const windows = keys.filter((key) => key.startsWith(`${tag}route:product:readiness-customer:`));
    expect(windows).toHaveLength(HOSTILE.length);
    for (const key of [...byCustomer, ...windows]) expect(await redis.ttl(key)).toBeGreaterThan(0);
    // no key of another family or route was made by a customer id
    expect(keys.filter((key) => key.includes('route:other'))).toEqual([]);
    const counters = (await store.counters(['product'])).product;
    expect(counters.compared).toBe(HOSTILE.length);
    const perCustomer = await store.customerCounters(['product']);
    const sum = Object.entries(perCustomer[0])
      .filter(([f]) => f.endsWith('|compared'))
      .reduce((s, [, v]) => s + Number(v), 0);
    expect(sum).toBe(HOSTILE.length);
    expect(await redis.scard(store.keys.customerSet('product'))).toBe(HOSTILE.length);
  });
});
