import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataNodes, hashTagOf, keySlot, openRedis, scanKeys, storeKeys, type RedisClient } from '../../src/store';
import { markOfId, routeMark } from '../../src/records';
import { startBackend, type TestBackend } from '../support/backends';
import { mastersOf, prefixSpreading, testClusterNodes } from '../support/cluster';
import { request, startClusterTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

/**
 * The whole flow of one deployment on a real Redis Cluster (three masters, one replica
 * each; REDIS_CLUSTER_NODES, else started by .ci/redis-cluster): proxy and producer,
 * BullMQ queue and worker, the record script, the report API, rules and rediff, the
 * rollout, and the CLI resolving REDIS_CLUSTER_NODES. With a cluster, keys are tagged per
 * route (issue #21): each route's keys and records carry `{prefix:r<mark>}`, the prefix is
 * picked so the two routes sit on different masters, and every report query that spans
 * routes (overview, customers, trend, exports) fans out over them; Redis refuses any
 * multi-key script, transaction or pipeline command that mixes slots, so each step here
 * would fail if one did.
 */
const BIN = join(__dirname, '../../bin/tandem.js');
const N = 100;
const wrongPrice = (id: number) => id % 10 === 0; // 10 of 100
const wrongColor = (id: number) => id % 4 === 0; // 25 of 100, 5 of them with a wrong price too

describe('one deployment on a Redis Cluster, end to end', () => {
  const nodes = testClusterNodes();
  let prefix: string;
  const routes = [
    { name: 'product', match: 'GET /products/:id' },
    { name: 'order', match: 'GET /orders/:id' },
  ];
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let probe: RedisClient;
  let dir: string;
  let configFile: string;

  const id = (url: string) => Number(/\/(\d+)$/.exec(url)?.[1]);
  const send = async (paths: string[], headers: Record<string, string> = {}) => {
    for (const p of paths) {
      const res = await request(`${t.url}${p}`, { headers });
      expect(res.status).toBe(200);
    }
  };
  const range = (n: number, path: (i: number) => string) => Array.from({ length: n }, (_, i) => path(i + 1));
  const comparedAtLeast = (route: string, n: number) =>
    t.waitFor(async () => {
      const c = await t.counters(route);
      return (c.compared ?? 0) >= n ? c : undefined;
    }, 30_000);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { env: { ...process.env, REDIS_URL: '', REDIS_CLUSTER_NODES: nodes.join(',') }, timeout: 30_000 },
        (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: id(req.url), price: 10, color: 'red' } }));
    candidate = await startBackend((req) => {
      const n = id(req.url);
      if (req.url.startsWith('/orders/')) return { body: { id: n, price: 10, color: 'red' } };
      return { body: { id: n, price: wrongPrice(n) ? 12 : 10, color: wrongColor(n) ? 'Red' : 'red' } };
    });
    const options = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header' as const, name: 'x-customer' },
      routes,
    };
    probe = openRedis({ cluster: { nodes } }, 'client');
    prefix = await prefixSpreading(
      probe,
      'cluster',
      routes.map((r) => r.name),
    );
    t = await startClusterTandem({ ...options, redis: { prefix } });
    dir = mkdtempSync(join(tmpdir(), 'tandem-cluster-'));
    configFile = join(dir, 'tandem.json');
    // No redis.url: the CLI finds the cluster through REDIS_CLUSTER_NODES.
    writeFileSync(configFile, JSON.stringify({ ...options, redis: { prefix } }));
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await probe?.quit().catch(() => probe.disconnect());
    await Promise.all([legacy?.close(), candidate?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs on a cluster of three masters', async () => {
    await t.waitFor(async () => probe.status === 'ready', 10_000);
    expect(dataNodes(probe)).toHaveLength(3);
    const info = await dataNodes(probe)[0].cluster('INFO');
    expect(info).toMatch(/cluster_state:ok/);
    expect(info).toMatch(/cluster_size:3/);
  });

  it('compares every exchange of two routes and counts each once', async () => {
    await send(range(N, (i) => `/products/${i}`));
    await send(range(20, (i) => `/orders/${i}`));
    expect(await comparedAtLeast('product', N)).toMatchObject({ seen: N, shadowed: N, compared: N, match: 70, mismatch: 30 });
    expect(await comparedAtLeast('order', 20)).toMatchObject({ seen: 20, shadowed: 20, compared: 20, match: 20 });
  });

  it("puts each route's counters and records in a slot of its own, on different masters; global keys stay in one small slot", async () => {
    const k = storeKeys({ prefix, tagging: 'route' });
    const ids = Object.fromEntries(
      await Promise.all(routes.map(async (r) => [r.name, (await probe.zrange(k.exchanges(r.name), 0, 0))[0]] as const)),
    );
    for (const r of routes) expect(markOfId(ids[r.name])).toBe(routeMark(r.name));
    const [product, order, productRecord, orderRecord, routeList, rollout] = await mastersOf(probe, [
      k.counters('product'),
      k.counters('order'),
      k.exchange(ids.product),
      k.exchange(ids.order),
      k.routes,
      k.rolloutVersion,
    ]);
    expect(product.slot).not.toBe(order.slot);
    expect(product.master).not.toBe(order.master);
    expect(productRecord).toEqual(product);
    expect(orderRecord).toEqual(order);
    expect(routeList).toEqual(rollout);
    expect([product.slot, order.slot]).not.toContain(routeList.slot);
    expect(await probe.exists(k.counters('product'), k.exchange(ids.product))).toBe(2);

    // every key is under one of three tags: the deployment's and one per route
    const all = await scanKeys(probe, k.everyKeyPattern);
    expect(new Set(all.map(hashTagOf))).toEqual(new Set([prefix, ...routes.map((r) => `${prefix}:r${routeMark(r.name)}`)]));
    const perNode = await Promise.all(dataNodes(probe).map(async (n) => (await n.dbsize()) > 0 && (await n.keys(`{${prefix}:r*`)).length));
    expect(perNode.filter((n) => n && n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('serves the report pages that span routes: overview, customers, trend, exports, a record by id', async () => {
    const overview = (await api('GET', '/routes')).json as { routes: { name: string; counters: Record<string, number> }[] };
    expect(overview.routes.map((r) => [r.name, r.counters.compared]).sort()).toEqual([
      ['order', 20],
      ['product', N],
    ]);
    const customers = await api('GET', '/customers');
    expect(customers.status).toBe(200);
    const summary = await api('GET', '/routes/product/summary');
    expect(summary.status).toBe(200);
    for (const path of ['/routes/product/trend', '/routes/product/fields', '/routes/product/causes', '/routes/order/trend']) {
      expect([path, (await api('GET', path)).status]).toEqual([path, 200]);
    }
    const exported = await fetch(`${t.reportUrl}/_tandem/api/routes/product/export?class=mismatch&format=json`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(exported.status).toBe(200);
    const rows = (await exported.json()) as { exchange: { route: string }; duplicates?: number }[];
    expect(rows.reduce((n, r) => n + 1 + (r.duplicates ?? 0), 0)).toBe(30);
    expect(new Set(rows.map((r) => r.exchange.route))).toEqual(new Set(['product']));
    const orderPage = (await api('GET', '/routes/order/mismatches?limit=5')).json as { total: number };
    expect(orderPage.total).toBe(0);
    const someOrder = (await probe.zrange(storeKeys({ prefix, tagging: 'route' }).exchanges('order'), 0, 0))[0];
    const ex = await api('GET', `/exchanges/${someOrder}`);
    expect(ex.status).toBe(200);
    expect(ex.json.exchange.route).toBe('order');
  });

  it('shows the mismatches in the report API', async () => {
    const page = (await api('GET', '/routes/product/mismatches?limit=50')).json as {
      total: number;
      items: { id: string; signature: string }[];
    };
    expect(page.total).toBe(30);
    expect(new Set(page.items.map((i) => i.signature))).toEqual(new Set(['color', 'color|price', 'price']));
    const full = (await api('GET', `/mismatches/${page.items.find((i) => i.signature === 'price')!.id}`)).json;
    expect(full.result.class).toBe('mismatch');
    expect(full.result.differences).toEqual([expect.objectContaining({ path: 'price', kind: 'changed', legacy: 10, candidate: 12 })]);
    const sigs = (await api('GET', '/routes/product/signatures')).json.signatures
      .map((s: { signature: string; count: number }) => `${s.signature} ${s.count}`)
      .sort();
    expect(sigs).toEqual(['color 20', 'color|price 5', 'price 5']);
  });

  it('recomputes a route after a rule change (report API), and back (tandem rediff through REDIS_CLUSTER_NODES)', async () => {
    expect((await api('POST', '/routes/product/rules/ignore', { path: 'color' })).status).toBe(200);
    expect(await api('POST', '/routes/product/rediff')).toEqual({
      status: 200,
      json: { recomputed: N, byClass: { match: 90, mismatch: 10 } },
    });
    expect(await t.counters('product')).toMatchObject({ seen: N, compared: N, match: 90, mismatch: 10 });
    expect((await api('GET', '/routes/product/mismatches?limit=50')).json.total).toBe(10);

    expect((await api('DELETE', '/routes/product/rules/ignore?path=color')).status).toBe(200);
    const out = await cli('rediff', '-c', configFile, '--route', 'product');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toMatch(/^route product: recomputed 100 stored exchanges in \d+ ms \(match 70, mismatch 30\)\n$/);
    expect(await t.counters('product')).toMatchObject({ seen: N, compared: N, match: 70, mismatch: 30 });
  });

  it('applies a rollout change from the API and from the CLI to the running instance', async () => {
    const servedBy = async (customer: string) =>
      (await request(`${t.url}/products/1`, { headers: { 'x-customer': customer } })).headers['x-served-by'];
    expect(await servedBy('acme')).toBe('legacy');
    const res = await api('PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate', force: true });
    expect(res.status).toBe(200);
    expect(res.json.routes.product.customers).toEqual({ acme: 'candidate' });
    await t.waitFor(async () => (await servedBy('acme')) === 'candidate', 5000);

    const forced = await cli('rollout', '-c', configFile, 'customer', 'product', 'zed', 'candidate', '--force', '--as', 'ada');
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    await t.waitFor(async () => (await servedBy('zed')) === 'candidate', 5000);
    const audit = (await api('GET', '/rollout/audit?limit=2')).json.entries;
    expect(audit.map((e: { actor: string; target: string; next: string }) => [e.actor, e.target, e.next])).toEqual([
      ['cli:ada', 'product/customers/zed', 'candidate'],
      ['api', 'product/customers/acme', 'candidate'],
    ]);
    expect(await servedBy('other')).toBe('legacy');
  });

  it('reports ready (Redis, worker, legacy) and exposes the queue lag read from the cluster', async () => {
    const ready = await request(`${t.opsUrl}/readyz`);
    const body = JSON.parse(ready.body.toString());
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(['legacy', 'redis', 'worker']);
    expect(Object.values(body.checks).every((c) => (c as { ok: boolean }).ok)).toBe(true);
    // The rollout test's last requests may still be queued: the lag reads them until the worker drains them.
    const lag = await t.waitFor(async () => {
      const l = await t.server.middleware.runtime.queueLag();
      return l.waiting === 0 && l.active === 0 ? l : undefined;
    }, 10_000);
    expect(lag).toMatchObject({ waiting: 0, failed: 0, waitingExchanges: 0 });
  });

  it('tandem config check names the cluster and where it came from', async () => {
    const out = await cli('config', 'check', configFile);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      `redis      cluster ${nodes.join(',')} (Redis Cluster, ${nodes.length} seed nodes) (REDIS_CLUSTER_NODES), keys {${prefix}} slot ${keySlot(`{${prefix}}`)}:…; each route's keys under its own hash tag (column keys)`,
    );
    // Each route's own tag and the slot the cluster itself gives it.
    for (const { name } of routes) {
      const tag = storeKeys({ prefix, tagging: 'route' }).routeTag(name);
      expect(out.stdout).toMatch(
        new RegExp(`^  ${name} .* \\{${prefix}:r[0-9a-f]{8}\\} slot ${String(await probe.call('CLUSTER', 'KEYSLOT', tag))} `, 'm'),
      );
    }
  });
});
