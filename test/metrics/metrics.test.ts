import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, sumOf, valueOf } from '../support/prom-text';
import { openTestRedis, uniquePrefix } from '../support/redis';
import { storeKeys } from '../../src/store';

const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10 });

describe('Prometheus metrics and the lag API', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { body: product(m[1]) };
      if (req.method === 'POST') return { status: 201, body: { created: true } };
      return { status: 404, body: { other: req.url } };
    });
    candidate = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      return m ? { body: m[1] === '2' ? { ...product(m[1]), price: 11 } : product(m[1]) } : null;
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'order', match: 'POST /orders' },
      ],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('counts known traffic under the documented names and labels', async () => {
    for (const id of ['1', '2', '3']) expect((await request(`${t.url}/products/${id}`)).status).toBe(200);
    expect((await request(`${t.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(
      201,
    );
    expect((await request(`${t.url}/elsewhere`)).status).toBe(404);
    await t.waitFor(async () => ((await t.counters('product')).compared ?? 0) >= 3);

    const res = await request(`${t.opsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body.toString();
    const s = parseProm(text);

    expect(valueOf(s, 'tandem_requests_total', { route: 'product', backend: 'legacy', status: '2xx' })).toBe(3);
    expect(valueOf(s, 'tandem_requests_total', { route: 'order', backend: 'legacy', status: '2xx' })).toBe(1);
    expect(valueOf(s, 'tandem_requests_total', { route: '(unmatched)', backend: 'legacy', status: '4xx' })).toBe(1);
    expect(sumOf(s, 'tandem_requests_total')).toBe(5); // the scrape itself is not a proxied request
    expect(valueOf(s, 'tandem_seen_total', { route: 'product' })).toBe(3);
    expect(valueOf(s, 'tandem_seen_total', { route: 'order' })).toBe(1);
    expect(valueOf(s, 'tandem_shadowed_total', { route: 'product' })).toBe(3);
    expect(valueOf(s, 'tandem_skipped_total', { route: 'order', reason: 'write' })).toBe(1);
    expect(valueOf(s, 'tandem_compared_total', { route: 'product', result: 'match' })).toBe(2);
    expect(valueOf(s, 'tandem_compared_total', { route: 'product', result: 'mismatch' })).toBe(1);
    const { items } = await t.api<{ items: { risk: string }[] }>('/routes/product/mismatches');
    expect(valueOf(s, 'tandem_mismatches_total', { route: 'product', risk: items[0].risk })).toBe(1);
    expect(sumOf(s, 'tandem_mismatches_total')).toBe(1);
    expect(valueOf(s, 'tandem_request_duration_seconds_count', { route: 'product', backend: 'legacy' })).toBe(3);
    expect(valueOf(s, 'tandem_request_duration_seconds_bucket', { route: 'product', backend: 'legacy', le: '+Inf' })).toBe(3);
    expect(valueOf(s, 'tandem_candidate_duration_seconds_count', { route: 'product' })).toBe(3);
    expect(sumOf(s, 'tandem_dropped_total')).toBe(0);
    expect(valueOf(s, 'tandem_redis_up')).toBe(1);
    expect(valueOf(s, 'tandem_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(valueOf(s, 'tandem_queue_lag_seconds')).toBe(0);
    expect(valueOf(s, 'tandem_buffered_exchanges')).toBe(0);
    expect(text).toMatch(/# TYPE tandem_fallbacks_total counter/);
    expect(text).toMatch(/# TYPE tandem_notifications_total counter/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('answers /lag behind the report token', async () => {
    expect((await request(`${t.reportUrl}/_tandem/api/lag`)).status).toBe(401);
    const lag = await t.api<Record<string, unknown>>('/lag');
    expect(lag).toMatchObject({ waiting: 0, lagSeconds: 0, oldestWaitingAt: null, buffered: 0, message: 'results are up to date' });
  });

  it('serves /healthz and /readyz without touching legacy', async () => {
    const before = legacy.seen.length;
    const live = await request(`${t.opsUrl}/healthz`);
    expect([live.status, JSON.parse(live.body.toString())]).toEqual([200, { status: 'ok' }]);
    const ready = await request(`${t.opsUrl}/readyz`);
    const body = JSON.parse(ready.body.toString());
    expect(ready.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['legacy', 'redis', 'worker']);
    expect(Object.values(body.checks).every((c) => (c as { ok: boolean }).ok)).toBe(true);
    expect(legacy.seen.length).toBe(before);
  });
});

describe('metrics options and the lag while nothing compares', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      worker: { inProcess: false },
      queue: { lingerMs: 0 }, // one job per request, so the depth below counts requests
      metrics: { path: '/_ops/metrics', token: 'scrape-token-0123456789' },
      health: { livePath: '/_ops/live', readyPath: '/_ops/ready' },
      routes: [{ name: 'thing', match: 'GET /things/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('moves the endpoints and requires the metrics token', async () => {
    expect((await request(`${t.opsUrl}/_ops/metrics`)).status).toBe(401);
    expect((await request(`${t.opsUrl}/_ops/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await request(`${t.opsUrl}/_ops/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).status).toBe(200);
    expect((await request(`${t.opsUrl}/_ops/live`)).status).toBe(200);
    const ready = JSON.parse((await request(`${t.opsUrl}/_ops/ready`)).body.toString());
    expect(Object.keys(ready.checks).sort()).toEqual(['legacy', 'redis']); // no worker in this process
    // The default paths are not operations endpoints any more: 404 on the operations
    // listener, and on the proxy they belong to legacy.
    expect((await request(`${t.opsUrl}/metrics`)).status).toBe(404);
    const before = legacy.seen.length;
    await request(`${t.url}/metrics`);
    await request(`${t.url}/healthz`);
    expect(legacy.seen.slice(before).map((r) => r.url)).toEqual(['/metrics', '/healthz']);
  });

  it('reports queue depth and the age of the oldest waiting job', async () => {
    const sentAt = Date.now();
    await request(`${t.url}/things/1`);
    await request(`${t.url}/things/2`);
    const lag = await t.waitFor(async () => {
      const l = await t.api<{ waiting: number; lagSeconds: number; oldestWaitingAt: number | null }>('/lag');
      return l.waiting === 2 && l;
    });
    expect(lag.oldestWaitingAt).toBeGreaterThanOrEqual(sentAt);
    expect(lag.oldestWaitingAt).toBeLessThanOrEqual(Date.now());
    expect(lag.lagSeconds).toBeGreaterThan(0);
    const s = parseProm(
      (await request(`${t.opsUrl}/_ops/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).body.toString(),
    );
    expect(valueOf(s, 'tandem_queue_jobs', { state: 'waiting' })).toBe(2);
    expect(valueOf(s, 'tandem_queue_lag_seconds')).toBeGreaterThan(0);
  });
});

describe('metrics of candidate-served routes', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { from: 'legacy' } }));
    candidate = await startBackend((req) =>
      req.url.endsWith('/bad') ? { status: 503, body: { error: 'down' } } : { body: { from: 'legacy' } },
    );
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'served', match: 'GET /served/:id', phase: 'candidate' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('counts requests by the backend that served them, and fallbacks', async () => {
    expect((await request(`${t.url}/served/ok`)).status).toBe(200);
    expect((await request(`${t.url}/served/bad`)).status).toBe(200); // legacy's answer, after the candidate's 503
    const s = parseProm((await request(`${t.opsUrl}/metrics`)).body.toString());
    expect(valueOf(s, 'tandem_requests_total', { route: 'served', backend: 'candidate', status: '2xx' })).toBe(1);
    expect(valueOf(s, 'tandem_requests_total', { route: 'served', backend: 'legacy', status: '2xx' })).toBe(1);
    expect(sumOf(s, 'tandem_fallbacks_total', { route: 'served' })).toBe(1);
    expect(s.find((x) => x.name === 'tandem_fallbacks_total')?.labels.reason).toBeTruthy();
  });
});

describe('metrics of results whose record failed after their counts', () => {
  let backend: TestBackend;
  let t: TestTandem;
  const prefix = uniquePrefix('metricslate');

  beforeAll(async () => {
    // The route's readiness window, pushed after the pack's counts and done markers, is not a list: the record
    // script counts the exchanges under their class, then fails. Planted before the Tandem starts.
    const redis = openTestRedis();
    await redis.set(storeKeys(prefix).readiness('thing'), 'not a list');
    await redis.quit();
    backend = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: backend.url },
      candidate: { url: backend.url },
      redis: { prefix },
      routes: [{ name: 'thing', match: 'GET /things/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await backend?.close();
  });

  it('count what the route counters count (one definition per number)', async () => {
    for (const id of ['1', '2', '3']) expect((await request(`${t.url}/things/${id}`)).status).toBe(200);
    await t.waitFor(async () => ((await t.counters('thing')).compared ?? 0) >= 3);
    expect(await t.counters('thing')).toEqual({ seen: 3, shadowed: 3, compared: 3, match: 3 });
    const s = parseProm((await request(`${t.opsUrl}/metrics`)).body.toString());
    // Once counted 'duplicate' with a failure result: the metrics showed no comparison at all.
    expect(valueOf(s, 'tandem_compared_total', { route: 'thing', result: 'match' })).toBe(3);
    expect(sumOf(s, 'tandem_compared_total', { route: 'thing' })).toBe(3);
  });
});
