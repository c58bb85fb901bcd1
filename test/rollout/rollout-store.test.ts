import type { RedisClient } from '../../src/store';
import { RolloutStore, RolloutWatcher } from '../../src/rollout';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';

const routes = [{ name: 'product', phase: 'shadow' as const, sampleRate: 1 }];

describe('the rollout state in Redis', () => {
  const prefix = uniquePrefix('rstore');
  let redis: RedisClient;
  let store: RolloutStore;

  beforeAll(() => {
    redis = openTestRedis();
    store = new RolloutStore(redis, prefix, 3);
  });

  afterAll(async () => {
    await redis.quit();
    await deletePrefix(prefix);
  });

  it('reads back every change over the configured defaults, with a version per change', async () => {
    expect(await store.load(routes)).toEqual({
      version: 0,
      groups: {},
      routes: { product: { phase: 'shadow', percentage: 0, sampleRate: 1, customers: {}, groups: {} } },
    });
    const change = { hash: { route: 'product' }, actor: 't', target: 'product' } as const;
    expect(await store.change({ ...change, field: 'percentage', value: 25, action: 'route.percentage' })).toBe(1);
    await store.change({ ...change, field: 'customer:acme', value: 'candidate', action: 'customer.phase' });
    await store.change({ hash: 'groups', field: 'beta', value: ['a', 'b'], action: 'group.members', target: 'groups/beta', actor: 't' });
    await redis.hset(`{${prefix}}:rollout:route:product`, 'phase', 'not json', 'customer:bad', '"sideways"');
    expect(await store.load(routes)).toEqual({
      version: 3,
      groups: { beta: ['a', 'b'] },
      routes: { product: { phase: 'shadow', percentage: 25, sampleRate: 1, customers: { acme: 'candidate' }, groups: {} } },
    });
  });

  it('keeps the audit log to its size, newest first', async () => {
    for (const p of [10, 20, 30])
      await store.change({
        hash: { route: 'product' },
        field: 'percentage',
        value: p,
        action: 'route.percentage',
        target: 'product',
        actor: 'cap',
      });
    const entries = await store.audit(10);
    expect(entries.map((e) => [e.previous, e.next, e.version])).toEqual([
      [20, 30, 6],
      [10, 20, 5],
      [25, 10, 4],
    ]);
  });
});

describe('the rollout watcher', () => {
  const prefix = uniquePrefix('rwatch');
  let writer: RedisClient;
  let watched: RedisClient;

  beforeAll(() => {
    writer = openTestRedis();
    // No offline queue: once disconnected, a command fails at once on one Redis and on a
    // cluster alike (a Cluster client closed mid-poll otherwise queues it, never answered).
    watched = openTestRedis({ maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  });

  afterAll(async () => {
    await writer.quit();
    // The test disconnected it already; again would arm ioredis' 2 s timer for a closed socket.
    if (watched.status !== 'end') watched.disconnect();
    await deletePrefix(prefix);
  });

  it('applies a change within its poll interval, and keeps the last state while Redis is unreachable', async () => {
    const errors: string[] = [];
    const watcher = new RolloutWatcher(routes, 100, (e) => errors.push(e.message));
    await watcher.start(new RolloutStore(watched, prefix, 10));
    try {
      await changeAndLoseRedis(watcher, errors);
    } finally {
      watcher.stop(); // also when a check fails: its poll would go on to the end of the run
    }
  });
  const changeAndLoseRedis = async (watcher: RolloutWatcher, errors: string[]) => {
    expect(watcher.current().routes.product.customers).toEqual({});
    await new RolloutStore(writer, prefix, 10).change({
      hash: { route: 'product' },
      field: 'customer:acme',
      value: 'candidate',
      action: 'customer.phase',
      target: 'x',
      actor: 't',
    });
    const started = Date.now();
    while (!watcher.current().routes.product.customers.acme && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    // A poll every 100 ms sees it within about that on an idle machine; a loaded one (timers and round trips late
    // by hundreds of ms) gets 1.5 s. A watcher that did not poll never would.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(watcher.current().version).toBe(1);
    watched.disconnect();
    // Polls that fail (not a fixed 300 ms: a loaded machine may not poll in it), then the state it keeps.
    for (const until = Date.now() + 10_000; errors.length < 2 && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
    watcher.stop();
    expect(errors.length).toBeGreaterThan(1);
    expect(watcher.current().routes.product.customers).toEqual({ acme: 'candidate' });
  };
});
