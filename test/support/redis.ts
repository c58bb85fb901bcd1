import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { dataNodes, openRedis, ResultsStore, scanKeys, type RedisClient, type RedisTarget } from '../../src/store';
import { RETENTION } from './exchanges';
import { testClusterNodes } from './cluster';

/** The single Redis tests use: REDIS_URL, else the local one `.ci/run` makes sure is up. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether this run is the cluster pass (`npm run test:cluster`, jest.cluster.config.js,
 * which sets TANDEM_TEST_REDIS=cluster): the suites it selects run unchanged on the test
 * Redis Cluster, through the helpers below, instead of on TEST_REDIS_URL.
 */
export const ON_CLUSTER = process.env.TANDEM_TEST_REDIS === 'cluster';

/**
 * The Redis of this run: `{ cluster: { nodes } }` of the test cluster in the cluster pass,
 * else TEST_REDIS_URL. Tests that open Redis or name it in a config take it from here
 * (or `testRedisConfig`, `openTestRedis`), never from TEST_REDIS_URL directly, so they
 * run in both passes.
 */
export function testRedisTarget(): RedisTarget {
  return ON_CLUSTER ? { cluster: { nodes: testClusterNodes() } } : TEST_REDIS_URL;
}

/**
 * The `redis` section of a test config naming the Redis of this run (merge `prefix` and
 * the rest in): `{ url }` on one Redis, `{ cluster: { nodes } }` in the cluster pass.
 *
 * @example
 * writeConfig(dir, { redis: { ...testRedisConfig(), prefix }, ... });
 */
export function testRedisConfig(): { url: string } | { cluster: { nodes: string[] } } {
  const target = testRedisTarget();
  return typeof target === 'string' ? { url: target } : { cluster: { nodes: [...target.cluster.nodes] } };
}

/**
 * The `queue` settings of the run's deployments: on the cluster, three partitions (each
 * under its own hash tag, so the queue spreads over slots and masters); on one Redis the
 * default (one). Per-route key tags need nothing: `redis.tagging` is `route` by default
 * on a cluster.
 *
 * @example
 * writeConfig(dir, { redis: { ...testRedisConfig(), prefix }, queue: testQueueConfig(), ... });
 */
export function testQueueConfig(): { partitions?: number } {
  return ON_CLUSTER ? { partitions: 3 } : {};
}

/**
 * A `client` connection (openRedis) to the Redis of this run: an ioredis Redis, or a
 * Cluster client in the cluster pass. Close it with `quit()`. `extra` goes to every
 * connection (for example `{ maxRetriesPerRequest: 0, retryStrategy: () => null }`).
 */
export function openTestRedis(extra: Parameters<typeof openRedis>[2] = {}): RedisClient {
  return openRedis(testRedisTarget(), 'client', extra);
}

/** A fresh key prefix per test, so parallel suites never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * Delete every key under a prefix (`{prefix}…`, and the per-route or per-partition tags
 * `{prefix:…}…`), on one Redis or every master of a cluster; by default on the Redis of
 * this run.
 */
export async function deletePrefix(prefix: string, target: RedisTarget = testRedisTarget()): Promise<void> {
  if (typeof target === 'string') return deleteOn(new IORedis(target, { maxRetriesPerRequest: 1 }), prefix);
  const cluster = openRedis(target, 'client');
  try {
    await clusterReady(cluster);
    // DEL key by key: keys of one prefix may sit in several slots of one master.
    for (const node of dataNodes(cluster)) await deleteOn(node.duplicate(), prefix);
  } finally {
    await cluster.quit().catch(() => cluster.disconnect());
  }
}

/** Resolves once a Cluster client (or a plain connection) is ready; rejects when it ends first. */
export function clusterReady(redis: RedisClient): Promise<void> {
  return new Promise<void>((ready, fail) =>
    redis.status === 'ready' ? ready() : redis.once('ready', ready).once('end', () => fail(new Error('redis connection ended'))),
  );
}

/** Every key of `prefix`: those tagged `{prefix}` and those under a tag of its own (`{prefix:…}`: queue partitions, per-route tags). */
function prefixPatterns(prefix: string): string[] {
  return [`{${prefix}[}:]*`];
}

async function deleteOn(redis: IORedis, prefix: string): Promise<void> {
  try {
    for (const pattern of prefixPatterns(prefix)) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        // One UNLINK per hash tag: keys of one tag share a slot, so the call never crosses
        // slots on a cluster node, and a suite's 100k keys take a few hundred calls, not 100k.
        const byTag = new Map<string, string[]>();
        for (const k of keys) {
          const tag = k.slice(0, k.indexOf('}') + 1);
          (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(k);
        }
        await Promise.all([...byTag.values()].map((group) => redis.unlink(...group)));
      } while (cursor !== '0');
    }
  } finally {
    await redis.quit();
  }
}

/** Keys under a prefix (for assertions about what is stored), from every master in the cluster pass. */
export async function keysUnder(prefix: string, target: RedisTarget = testRedisTarget()): Promise<string[]> {
  const redis = openRedis(target, 'client');
  try {
    await clusterReady(redis);
    const found = await Promise.all(prefixPatterns(prefix).map((p) => scanKeys(redis, p)));
    return [...new Set(found.flat())];
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * A suite's own `ResultsStore` on the test Redis: opened in `beforeAll` under a fresh prefix
 * (`uniquePrefix(name)`), closed and its keys deleted in `afterAll`. Call it in a `describe`;
 * read `redis` and `store` from the returned object inside tests (they are set in `beforeAll`).
 * `options` is what the store takes besides the prefix (e.g. `{ tagging: 'route' }`), `storeOptions`
 * its last argument (e.g. `{ stageFromChars: 0 }`: stage every exchange record).
 *
 * @example
 * const t = useTestStore('countonce', { tagging: 'route' });
 * it('…', async () => expect(await t.store.counters(['r'])).toEqual({ r: {} }));
 */
export function useTestStore(
  name: string,
  options: Omit<Exclude<ConstructorParameters<typeof ResultsStore>[1], string>, 'prefix'> = {},
  storeOptions: ConstructorParameters<typeof ResultsStore>[3] = {},
): { prefix: string; redis: RedisClient; store: ResultsStore } {
  const t = { prefix: uniquePrefix(name) } as { prefix: string; redis: RedisClient; store: ResultsStore };
  beforeAll(() => {
    t.redis = openTestRedis();
    t.store = new ResultsStore(t.redis, { ...options, prefix: t.prefix }, RETENTION, storeOptions);
  });
  // A suite may leave 100k keys (done markers); on a loaded CI machine deleting them took
  // more than jest's 30 s default for a hook.
  afterAll(async () => {
    await t.redis.quit();
    await deletePrefix(t.prefix);
  }, 120_000);
  return t;
}

/**
 * What Redis holds at `key`, as raw bytes, whatever the key's type: a string's value, a
 * hash's fields and values, a set's or sorted set's members, a list's items, a stream's
 * entries as JSON; nothing for a key that is gone.
 *
 * @example
 * for (const key of await keysUnder(prefix)) texts.push(...(await storedValues(redis, key)).map(String));
 */
export async function storedValues(
  redis: Pick<RedisClient, 'type' | 'getBuffer' | 'hgetallBuffer' | 'smembersBuffer' | 'zrangeBuffer' | 'lrangeBuffer' | 'xrange'>,
  key: string,
): Promise<Buffer[]> {
  const type = await redis.type(key);
  if (type === 'string') return [(await redis.getBuffer(key)) ?? Buffer.alloc(0)];
  if (type === 'hash') return Object.entries(await redis.hgetallBuffer(key)).flatMap(([k, v]) => [Buffer.from(k), v]);
  if (type === 'set') return redis.smembersBuffer(key);
  if (type === 'zset') return redis.zrangeBuffer(key, 0, -1);
  if (type === 'list') return redis.lrangeBuffer(key, 0, -1);
  if (type === 'stream') return [Buffer.from(JSON.stringify(await redis.xrange(key, '-', '+')))];
  return [];
}
