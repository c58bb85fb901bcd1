import type { ChainableCommander } from 'ioredis';
import { newExchangeId, routeMark } from '../../src/records';
import { customerRows, listResults, parseResultFilter, readTrends, rootCauses } from '../../src/report';
import { RolloutStore } from '../../src/rollout';
import { RuntimeRules } from '../../src/rules';
import {
  clearDerived,
  countCustomers,
  derivedRouteKeys,
  scanKeys,
  openRedis,
  PartialPipelineError,
  pipelineByTag,
  ResultsStore,
  storeKeys,
  type RedisClient,
} from '../../src/store';
import { processExchange } from '../../src/worker';
import { mastersOf, prefixSpreading, testClusterNodes } from '../support/cluster';
import { exchange, processDeps, RETENTION } from '../support/exchanges';
import { deletePrefix } from '../support/redis';

/**
 * The store, its report readers, the rules and the rollout store, called directly on a
 * real Redis Cluster with per-route hash tags (issue #21), three routes on three masters.
 * Redis Cluster refuses a script, transaction, MGET or pipeline command whose keys span
 * slots (CROSSSLOT), and ioredis refuses a pipeline spanning masters: every call here
 * fails if one of them mixes a route's keys with another route's or with the
 * deployment's keys.
 */
const ROUTES = ['product', 'order', 'cart'] as const;

describe('store, report readers, rules and rollout on a Redis Cluster with per-route tags', () => {
  const nodes = testClusterNodes();
  let redis: RedisClient;
  let prefix: string;
  let store: ResultsStore;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    redis = openRedis({ cluster: { nodes } }, 'client');
    await new Promise<void>((ready) => (redis.status === 'ready' ? ready() : redis.once('ready', () => ready())));
    prefix = await prefixSpreading(redis, 'store', ROUTES);
    store = new ResultsStore(redis, { prefix, tagging: 'route' }, { ...RETENTION, readinessWindow: 50 });
  }, 30_000);

  afterAll(async () => {
    await redis?.quit().catch(() => redis.disconnect());
    if (prefix) await deletePrefix(prefix, { cluster: { nodes } });
  });

  it('records mismatches and matches of three routes, each route on its own master', async () => {
    const at = Date.now();
    for (const route of ROUTES) {
      ids[route] = [];
      for (let i = 0; i < 6; i++) {
        const id = newExchangeId(at + i, route);
        ids[route].push(id);
        const ex = { ...exchange(id, { price: 10, n: i }, { price: i % 2 ? 11 : 10, n: i }, { route, at: at + i }), customer: `c${i % 3}` };
        const out = await processExchange(ex, processDeps());
        expect(await store.record(ex, out.result, out)).not.toBe('duplicate');
      }
    }
    // an id without a route mark (made before marks) is recorded under its route's mark
    const old = exchange('lx3k-1', { price: 1 }, { price: 1 }, { route: 'cart', at });
    const out = await processExchange(old, processDeps());
    expect(await store.record(old, out.result, out)).toBe('recorded');
    expect(await store.record(old, out.result, out)).toBe('duplicate');
    expect(await store.exchanges([`${routeMark('cart')}.lx3k-1`])).toEqual([expect.objectContaining({ route: 'cart' })]);

    const where = await mastersOf(
      redis,
      ROUTES.map((r) => store.keys.counters(r)),
    );
    expect(new Set(where.map((w) => w.master)).size).toBe(3);
    const records = await mastersOf(
      redis,
      ROUTES.map((r) => store.keys.mismatch(ids[r][1])),
    );
    expect(records).toEqual(where);
  });

  it('adds ingress counters of every route and the drops, and reads them back across routes', async () => {
    await store.addCounters(
      new Map([
        ...ROUTES.map((r) => [r, new Map([['seen', 6]])] as [string, Map<string, number>]),
        ['', new Map([['dropped:buffer_full', 1]])],
      ]),
    );
    expect(await store.routeNames()).toEqual([...ROUTES].sort());
    const counters = await store.counters([...ROUTES]);
    for (const r of ROUTES) expect(counters[r]).toMatchObject({ seen: 6, match: r === 'cart' ? 4 : 3, mismatch: 3 });
    expect(counters.cart.compared).toBe(7);
    expect(await store.drops()).toEqual({ 'dropped:buffer_full': 1 });
  });

  it("applies every route's transaction it can when another route's fails, and names the failed commands", async () => {
    const k = storeKeys({ prefix, tagging: 'route' });
    const key = (r: string) => k.notifyRate(r, 1);
    const commands = ROUTES.map((r) => ({
      key: key(r),
      // 'order' queues a command Redis refuses at once (wrong arity): its whole MULTI is aborted (EXECABORT)
      add: (p: ChainableCommander) => (r === 'order' ? p.call('HINCRBY', key(r), 'x') : p.hincrby(key(r), 'x', 1)),
    }));
    const e = await pipelineByTag(redis, commands, { atomic: true }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PartialPipelineError);
    expect([...(e as PartialPipelineError).failed]).toEqual([1]);
    expect(await Promise.all(ROUTES.map((r) => redis.hget(key(r), 'x')))).toEqual(['1', null, '1']);
  });

  it('reads records by id, duplicates, trends and customers across routes', async () => {
    const mismatchIds = ROUTES.flatMap((r) => [ids[r][1], ids[r][3]]);
    const mismatches = await store.mismatches(mismatchIds);
    expect(mismatches.map((m) => m.exchange.id)).toEqual(mismatchIds);
    expect((await store.mismatch(ids.order[5]))?.exchange.route).toBe('order');
    const all = ROUTES.flatMap((r) => ids[r]);
    expect((await store.exchanges(all)).map((e) => e?.id)).toEqual(all);

    const trends = await readTrends(store, [...ROUTES], 60, Date.now());
    for (const r of ROUTES) expect(trends[r].compared.reduce((n, c) => n + c, 0)).toBe(r === 'cart' ? 7 : 6);

    await countCustomers(redis, store.keys, new Map(ROUTES.map((r) => [r, [['c9', 'fallback', 2]]])));
    const rows = await customerRows(store, [...ROUTES], { offset: 0, limit: 100 });
    expect(new Set(rows.items.map((i) => i.route))).toEqual(new Set(ROUTES));
    expect(rows.items.filter((i) => i.customer === 'c9')).toHaveLength(3);
  });

  it('pages a route through intersected indexes, its signatures, causes and fields', async () => {
    const page = await listResults(store, 'order', parseResultFilter({ class: 'mismatch', risk: 'high', customer: 'c1' }, Date.now()));
    const plain = await listResults(store, 'order', parseResultFilter({ class: 'mismatch' }, Date.now()));
    expect(plain.total).toBe(3);
    expect(page.total).toBeLessThanOrEqual(3);
    expect((await store.signatures('order')).map((s) => s.signature)).toEqual(['price']);
    expect(await store.signatureSamples('order', ['price'], 5)).toHaveLength(3);
    expect((await rootCauses(store, 'order', 10)).causes.length).toBeGreaterThan(0);
    expect((await store.fieldStats('order')).differs).toEqual({ price: 3 });
  });

  it("clears one route's derived data (rediff) and leaves the others", async () => {
    const cleared = await clearDerived(store, 'product');
    expect(cleared.sort()).toEqual([...ids.product].sort());
    const counters = await store.counters([...ROUTES]);
    expect(counters.product).toEqual({ seen: 6 });
    expect(counters.order).toMatchObject({ compared: 6, mismatch: 3 });
    expect(await store.mismatch(ids.product[1])).toBeNull();
    // of the route's `route:<r>:` keys only the kept ones are left (its families were found on its master and deleted)
    const left = await scanKeys(redis, store.keys.familiesPattern(derivedRouteKeys().families, 'product'));
    expect(left.length).toBeGreaterThan(0);
    for (const key of left)
      expect([store.keys.counters('product'), store.keys.customers('product'), store.keys.exchanges('product')]).toContain(key);
    expect(await store.mismatch(ids.order[1])).not.toBeNull();
  });

  it("keeps rules and rollout state in the deployment's slot, and reads a route's evidence from its own", async () => {
    const rules = new RuntimeRules(redis, { prefix, tagging: 'route' }, { learnRate: 0.5, learnSamples: 5 });
    await rules.addIgnore('order', 'n', 'test');
    expect((await rules.list('order')).ignore).toEqual(['n']);
    expect(await rules.audit('order')).toEqual([expect.objectContaining({ action: 'addIgnore', path: 'n' })]);

    const rollout = new RolloutStore(redis, { prefix, tagging: 'route' }, 100);
    const v = await rollout.change({
      hash: { route: 'order' },
      field: 'phase',
      value: 'candidate',
      action: 'route.phase',
      target: 'order',
      actor: 'test',
    });
    const state = await rollout.load(ROUTES.map((name) => ({ name, phase: 'shadow' as const, sampleRate: 1 })));
    expect(state.version).toBe(v);
    expect(state.routes.order.phase).toBe('candidate');
    expect(await rollout.outcomes('order', 10)).toHaveLength(6);

    const k = storeKeys({ prefix, tagging: 'route' });
    const [ruleSlot, rolloutSlot, routeList, orderCounters] = await mastersOf(redis, [
      k.rules('order'),
      k.rolloutRoute('order'),
      k.routes,
      k.counters('order'),
    ]);
    expect(ruleSlot).toEqual(routeList);
    expect(rolloutSlot).toEqual(routeList);
    expect(orderCounters.slot).not.toBe(routeList.slot);
  });
});
