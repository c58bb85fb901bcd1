import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startTandemProcess, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { deletePrefix, testQueueConfig, testRedisConfig, uniquePrefix } from '../support/redis';
import { request, TEST_TOKEN } from '../support/tandem';
import { parseProm, sumOf, valueOf } from '../support/prom-text';

const N = 40;
const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10 });

describe('two `tandem serve` and two `tandem worker` processes on one Redis', () => {
  const prefix = uniquePrefix('scale');
  const dir = tempDir('scale');
  let legacy: TestBackend;
  let candidate: TestBackend;
  const serves: { child: Child; url: string; reportUrl: string; opsUrl: string }[] = [];
  const workers: { child: Child; metrics: string }[] = [];

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: product(/\/products\/(\d+)/.exec(req.url)?.[1] ?? '0') }));
    candidate = await startBackend((req) => {
      const id = /\/products\/(\d+)/.exec(req.url)?.[1] ?? '0';
      return { body: Number(id) % 4 === 0 ? { ...product(id), price: 12 } : product(id) }; // every 4th differs
    });
    const config = writeConfig(dir.path, {
      listen: { host: '127.0.0.1', port: 0 },
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { ...testRedisConfig(), prefix },
      queue: testQueueConfig(),
      report: { token: TEST_TOKEN },
      worker: { inProcess: false },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    const [a, b, w1, w2] = await Promise.all([
      startTandemProcess(config),
      startTandemProcess(config),
      startWorkerProcess(config, ['--metrics-port', '0', '--metrics-host', '127.0.0.1']),
      startWorkerProcess(config, ['--metrics-port', '0', '--metrics-host', '127.0.0.1']),
    ]);
    serves.push(a, b);
    for (const w of [w1, w2]) workers.push({ child: w, metrics: /"metrics":"(http:\/\/[^"]+)"/.exec(w.output())![1] });
  }, 90_000);

  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
    dir.remove();
  });

  const api = async <T>(url: string, path: string): Promise<T> =>
    JSON.parse((await request(`${url}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).body.toString()) as T;
  const scrape = async (url: string) => parseProm((await request(url)).body.toString());

  it('shares the work and the counters add up exactly', async () => {
    for (let i = 1; i <= N; i++) expect((await request(`${serves[i % 2].url}/products/${i}`)).status).toBe(200);

    const deadline = Date.now() + 20_000;
    let counters: Record<string, number> = {};
    while (Date.now() < deadline) {
      const { routes } = await api<{ routes: { name: string; counters: Record<string, number> }[] }>(serves[0].reportUrl, '/routes');
      counters = routes.find((r) => r.name === 'product')?.counters ?? {};
      // shadowed is flushed with the ingress counters (each second), after seen: wait for it too
      if (counters.compared === N && counters.seen === N && counters.shadowed === N) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Redis: both instances' ingress counters and both workers' results, exactly once each.
    expect(counters).toMatchObject({ seen: N, shadowed: N, compared: N, match: 30, mismatch: 10 });
    expect(Object.keys(counters).filter((k) => k.startsWith('dropped:'))).toEqual([]);
    // Both instances read the same report.
    expect((await api<{ total: number }>(serves[1].reportUrl, '/routes/product/mismatches')).total).toBe(10);

    // Prometheus: each instance counts its own traffic; summed they match Redis.
    const [sa, sb] = await Promise.all(serves.map((s) => scrape(`${s.opsUrl}/metrics`)));
    expect(valueOf(sa, 'tandem_requests_total', { route: 'product', backend: 'legacy' })).toBe(N / 2);
    expect(valueOf(sb, 'tandem_requests_total', { route: 'product', backend: 'legacy' })).toBe(N / 2);
    expect(sumOf(sa, 'tandem_shadowed_total') + sumOf(sb, 'tandem_shadowed_total')).toBe(N);
    expect(sumOf(sa, 'tandem_compared_total') + sumOf(sb, 'tandem_compared_total')).toBe(0); // no worker in the proxies

    const [wa, wb] = await Promise.all(workers.map((w) => scrape(w.metrics)));
    const byWorker = [wa, wb].map((s) => sumOf(s, 'tandem_compared_total'));
    expect(byWorker[0] + byWorker[1]).toBe(N);
    expect(sumOf(wa, 'tandem_compared_total', { result: 'match' }) + sumOf(wb, 'tandem_compared_total', { result: 'match' })).toBe(30);
    expect(sumOf(wa, 'tandem_mismatches_total') + sumOf(wb, 'tandem_mismatches_total')).toBe(10);
    expect(byWorker.every((n) => n > 0)).toBe(true); // both workers took jobs
    expect(valueOf(wa, 'tandem_queue_jobs', { state: 'waiting' })).toBe(0);
    // The same per-route figures as serve's /metrics, read from Redis by each worker (not summed).
    for (const w of [wa, wb, sa]) {
      expect(valueOf(w, 'tandem_match_rate', { route: 'product' })).toBe(0.75);
      expect(valueOf(w, 'tandem_results', { route: 'product', verdict: 'mismatches' })).toBe(10);
    }

    // A worker's own health endpoints.
    const ready = await request(workers[0].metrics.replace(/\/metrics$/, '/readyz'));
    expect(ready.status).toBe(200);
    expect(Object.keys(JSON.parse(ready.body.toString()).checks).sort()).toEqual(['redis', 'worker']);
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const all = [...serves.map((s) => s.child), ...workers.map((w) => w.child)];
    all.forEach((c) => c.kill('SIGTERM'));
    const exits = await Promise.all(all.map((c) => c.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0, 0]);
    // A worker has jobs, not requests: its stop line says what it finishes.
    for (const w of workers)
      expect(w.child.output()).toContain('SIGTERM: stopping (finishing in-flight jobs and storing their results)...');
    for (const s of serves) expect(s.child.output()).toContain('SIGTERM: stopping (finishing in-flight requests, flushing comparisons)...');
  });
});
