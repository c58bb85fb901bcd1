import http from 'node:http';
import { Cluster } from 'ioredis';
import { startServer, type TandemServer } from '../../src/ingress';
import type { TandemOptions } from '../../src/config';
import { deletePrefix, ON_CLUSTER, testQueueConfig, testRedisConfig, uniquePrefix } from './redis';
import { testClusterNodes } from './cluster';
import { settle } from './settle';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A Tandem server on a free port, its own Redis prefix, cleaned up by `stop()`. */
export interface TestTandem {
  server: TandemServer;
  /** The proxy. */
  url: string;
  /** The report's own listener (report paths are under `/_tandem` there). */
  reportUrl: string;
  /** The metrics and health listener. */
  opsUrl: string;
  prefix: string;
  /** GET a report API path (under /_tandem/api) with the token. */
  api<T = any>(path: string): Promise<T>;
  /** Wait until `check` returns a truthy value (polling), or fail after `timeoutMs`. */
  waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** Counters of a route, after flushing the ingress counters. */
  counters(route: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export type TestOptions = Omit<TandemOptions, 'listen'> & Partial<Pick<TandemOptions, 'listen'>>;

/**
 * A Tandem on the Redis its options name (`redis.url` or `redis.cluster`), else on the
 * Redis of this run (`testRedisConfig()`: REDIS_URL, or the test cluster in the cluster pass).
 */
export async function startTestTandem(options: TestOptions): Promise<TestTandem> {
  const prefix = options.redis?.prefix ?? uniquePrefix();
  const given = options.redis?.url || options.redis?.cluster;
  const redis = given ? { ...options.redis, prefix } : { ...testRedisConfig(), ...options.redis, prefix };
  const target = redis.cluster ? { cluster: redis.cluster } : redis.url!;
  const server = await startServer({
    listen: { port: 0, host: '127.0.0.1' },
    report: { token: TEST_TOKEN },
    log: { level: 'silent' },
    ...options,
    redis,
    // The run's queue partitions, on the run's Redis only (a test's own Redis keeps its own).
    queue: given ? options.queue : { ...testQueueConfig(), ...options.queue },
  });
  await server.middleware.ready;
  // The cluster pass must not pass by running on one Redis.
  if (ON_CLUSTER && !options.redis?.url && !(server.middleware.runtime.store().redis instanceof Cluster)) {
    await server.close();
    throw new Error('cluster pass: this Tandem did not connect to the test cluster');
  }
  const t: TestTandem = {
    server,
    url: server.url,
    reportUrl: server.reportUrl,
    opsUrl: server.opsUrl,
    prefix,
    async api(path) {
      const res = await fetch(`${server.reportUrl}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as never;
    },
    async waitFor(check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async counters(route) {
      await settle(server.middleware.runtime);
      const { routes } = await t.api<{ routes: { name: string; counters: Record<string, number> }[] }>('/routes');
      return routes.find((r) => r.name === route)?.counters ?? {};
    },
    async stop() {
      await server.close();
      await deletePrefix(prefix, target);
    },
  };
  return t;
}

/**
 * A Tandem on the test Redis Cluster (`testClusterNodes()`: REDIS_CLUSTER_NODES, else the
 * one `.ci/redis-cluster` starts), its own prefix, cleaned up on every master by `stop()`.
 */
export function startClusterTandem(options: TestOptions): Promise<TestTandem> {
  return startTestTandem({ ...options, redis: { ...options.redis, cluster: { nodes: testClusterNodes() } } });
}

/** A raw HTTP request: status, headers and the exact body bytes. */
export function request(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(o.body);
  });
}

/**
 * `POST /_tandem/api/session {token}` on a test Tandem's report, as the sign-in form sends it.
 *
 * @example
 * expect((await signIn(t, TEST_TOKEN)).status).toBe(200);
 */
export function signIn(t: TestTandem, token: string): Promise<Response> {
  return fetch(`${t.reportUrl}/_tandem/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}
