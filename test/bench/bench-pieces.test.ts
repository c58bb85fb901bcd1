import { createConfig } from '../../src/config';
import { combineRounds, runFixedRate } from '../../bench/fixed-rate';
import { nginxMirrorConfig } from '../../bench/nginx-config';
import { parseBenchOptions } from '../../bench/options';
import { jsonDocument, SIZES } from '../../bench/payloads';
import { percentile } from '../../bench/percentile';
import { placed } from '../../bench/children';
import { startReferenceProxy } from '../../bench/reference-proxy';
import { saturate } from '../../bench/saturate';
import { SCENARIOS, selectScenarios } from '../../bench/scenarios';
import { tandemBenchConfig } from '../../bench/tandem-target';
import { startUpstream } from '../../bench/upstream-server';
import { microBench } from '../../bench/worker-micro';
import { benchExchange, COMPARE_CASES } from '../../bench/exchanges';
import { e2eJobs } from '../../bench/worker-e2e';
import { createTranslatorsFor } from '../../src/runtime';
import { processExchange } from '../../src/worker';
import { request } from '../support/tandem';
import { cpuSeconds, cpuTimes } from '../../bench/proc-stats';
import { readFileSync } from 'node:fs';

describe('benchmark pieces', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let reference: Awaited<ReturnType<typeof startReferenceProxy>>;

  beforeAll(async () => {
    upstream = await startUpstream({ delayMs: 0, differ: false });
    reference = await startReferenceProxy(upstream.url);
  });
  afterAll(async () => {
    await reference?.close();
    await upstream?.close();
  });

  it('serves 2 KB and 20 KB JSON documents from the upstream', async () => {
    const small = await request(`${upstream.url}/api/2k/1`);
    const large = await request(`${upstream.url}/api/20k/1`);
    expect(small.status).toBe(200);
    expect(small.body.equals(jsonDocument(SIZES['2k']))).toBe(true);
    expect(small.body.length).toBeGreaterThanOrEqual(2048);
    expect(small.body.length).toBeLessThan(2048 + 100);
    expect(large.body.length).toBeGreaterThanOrEqual(20 * 1024);
    expect(JSON.parse(large.body.toString()).currency).toBe('EUR');
    expect((await request(`${upstream.url}/nothing`)).status).toBe(404);
  });

  it('proxies through the reference proxy byte for byte, with x-forwarded-for', async () => {
    const direct = await request(`${upstream.url}/api/20k/1`);
    const via = await request(`${reference.url}/api/20k/1`);
    expect(via.status).toBe(200);
    expect(via.headers['content-type']).toBe('application/json');
    expect(via.body.equals(direct.body)).toBe(true);
  });

  it('sends exactly rate × duration requests at a fixed rate and measures them all', async () => {
    const r = await runFixedRate({ url: `${reference.url}/api/2k/1`, rate: 200, durationSec: 1 });
    expect(r.sent).toBe(200);
    expect(r.completed).toBe(200);
    expect(r.errors).toBe(0);
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });

  it('saturates with autocannon and counts only 2xx as throughput', async () => {
    const ok = await saturate({ tool: 'autocannon', url: `${upstream.url}/api/2k/1`, connections: 4, durationSec: 1 });
    expect(ok.tool).toBe('autocannon');
    expect(ok.requests).toBeGreaterThan(0);
    expect(ok.rps).toBeGreaterThan(0);
    expect(ok.non2xx).toBe(0);
    const missing = await saturate({ tool: 'autocannon', url: `${upstream.url}/nothing`, connections: 2, durationSec: 1 });
    expect(missing.non2xx).toBe(missing.requests);
    expect(missing.rps).toBe(0);
  });

  it('differs in three fields for the differing pair, and matches otherwise', async () => {
    expect(jsonDocument(2048, { differ: true }).length).toBe(jsonDocument(2048).length + 'refurbished'.length + 3);
    const differing = await microBench({ size: '2k', differ: true }, 40);
    const equal = await microBench({ size: '2k', differ: false }, 40);
    expect(differing.result).toBe('mismatch');
    expect(equal.result).toBe('match');
    expect(equal.case).toBe('2k equal');
    const config = createConfig({
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      routes: [{ name: 'items', match: 'GET /api/:size/:id' }],
    });
    const out = await processExchange(benchExchange('ex-1', { size: '20k', differ: true }), {
      translators: createTranslatorsFor(config),
      rulesFor: () => config.routes[0].rules,
      maxDecompressedBytes: 1 << 24,
    });
    expect(out.result.differences.map((d) => d.path)).toEqual(['name', 'price', 'items[1].qty']);
  });
});

describe('benchmark configuration', () => {
  it('builds a Tandem config that validates, shadowing only when the scenario does', () => {
    const env = {
      legacyUrl: 'http://127.0.0.1:3001',
      candidateUrls: { fast: 'http://127.0.0.1:3002', slow: 'http://127.0.0.1:3003', down: 'http://127.0.0.1:3004' },
      redisUrl: 'redis://127.0.0.1:6390',
    };
    const four = SCENARIOS.find((s) => s.id === '4')!;
    const six = createConfig(
      tandemBenchConfig(
        SCENARIOS.find((s) => s.id === '6')!,
        env,
        8080,
        'bench-6',
      ),
    );
    const three = createConfig(
      tandemBenchConfig(
        SCENARIOS.find((s) => s.id === '3')!,
        env,
        8080,
        'bench-3',
      ),
    );
    expect(createConfig(tandemBenchConfig(four, env, 8080, 'bench-4')).routes[0].matcher.match('GET', '/api/2k/1')).toEqual({
      size: '2k',
      id: '1',
    });
    expect(three.routes[0].matcher.match('GET', '/api/2k/1')).toBeNull();
    expect(six.candidate.url).toBe('http://127.0.0.1:3004');
    expect(six.worker.inProcess).toBe(false);
    expect(
      createConfig(
        tandemBenchConfig(
          SCENARIOS.find((s) => s.id === '4i')!,
          env,
          8080,
          'b',
        ),
      ).worker.inProcess,
    ).toBe(true);
  });

  it('writes an nginx mirror config to both upstreams with one worker', () => {
    const conf = nginxMirrorConfig({
      dir: '/tmp/x',
      port: 8081,
      legacy: 'http://127.0.0.1:3001',
      candidate: 'http://127.0.0.1:3002',
      asRoot: false,
    });
    expect(conf).toContain('worker_processes 1;');
    expect(conf).toContain('listen 127.0.0.1:8081;');
    expect(conf).toContain('upstream legacy { server 127.0.0.1:3001;');
    expect(conf).toContain('upstream candidate { server 127.0.0.1:3002;');
    expect(conf).toContain('mirror /_mirror;');
    expect(conf).toContain('proxy_pass http://candidate$request_uri;');
    expect(conf).not.toContain('user root;');
  });

  it('pins with taskset and lowers priority with nice, keeping the command last', () => {
    expect(placed('node', ['x.js'], { core: 1, nice: 19 }, true)).toEqual(['nice', ['-n', '19', 'taskset', '-c', '1', 'node', 'x.js']]);
    expect(placed('node', ['x.js'], { core: 0 }, false)).toEqual(['node', ['x.js']]);
  });

  it('parses options and always includes the reference scenario', () => {
    const o = parseBenchOptions(['--scenarios', '4,6', '--duration', '3', '--sizes', '2k', '--no-worker-bench']);
    expect(o).toMatchObject({ scenarios: '4,6', saturateSec: 3, sizes: ['2k'], worker: false, loadgen: 'auto', rate: 1000 });
    expect(selectScenarios(o.scenarios).map((s) => s.id)).toEqual(['2', '4', '6']);
    expect(() => parseBenchOptions(['--sizes', '3k'])).toThrow('--sizes: unknown size "3k"');
    expect(() => parseBenchOptions(['--duration', 'x'])).toThrow('--duration must be a number');
    expect(() => selectScenarios('9')).toThrow('unknown scenario 9');
  });

  it('parses extra Node flags for Tandem and the GC trace switch', () => {
    expect(parseBenchOptions([])).toMatchObject({ nodeFlags: [], traceGc: false });
    expect(parseBenchOptions(['--node-flags', ' --max-semi-space-size=8  --no-opt ', '--trace-gc'])).toMatchObject({
      nodeFlags: ['--max-semi-space-size=8', '--no-opt'],
      traceGc: true,
    });
    // as --help and the README spell it: a value starting with "-" goes after "=" (after a space it is refused as ambiguous)
    expect(parseBenchOptions(['--node-flags=--v8-pool-size=0 --max-semi-space-size=8'])).toMatchObject({
      nodeFlags: ['--v8-pool-size=0', '--max-semi-space-size=8'],
    });
    expect(() => parseBenchOptions(['--node-flags', '--v8-pool-size=0'])).toThrow('ambiguous');
  });

  it('parses queue settings for Tandem and merges them into its config', () => {
    expect(parseBenchOptions([])).toMatchObject({ queue: {} });
    expect(parseBenchOptions(['--queue={"lingerMs":0,"packSize":16}']).queue).toEqual({ lingerMs: 0, packSize: 16 });
    expect(() => parseBenchOptions(['--queue', '[1]'])).toThrow('--queue must be a JSON object');
    expect(() => parseBenchOptions(['--queue', 'lingerMs=0'])).toThrow('--queue must be a JSON object');
    const env = {
      legacyUrl: 'http://127.0.0.1:3001',
      candidateUrls: { fast: 'http://127.0.0.1:3002', slow: 'http://127.0.0.1:3003', down: 'http://127.0.0.1:3004' },
      redisUrl: 'redis://127.0.0.1:6390',
      queue: { lingerMs: 0 },
    };
    const four = createConfig(
      tandemBenchConfig(
        SCENARIOS.find((s) => s.id === '4')!,
        env,
        8080,
        'b',
      ),
    );
    expect(four.queue).toMatchObject({ lingerMs: 0, packSize: 64 });
    // beside a scenario's own queue settings (every exchange compared)
    const wide = createConfig(
      tandemBenchConfig(
        SCENARIOS.find((s) => s.id === '4w')!,
        env,
        8080,
        'b',
      ),
    );
    expect(wide.queue).toMatchObject({ lingerMs: 0, maxBacklog: 1_000_000 });
  });

  it('parses the Redis cost bench options', () => {
    expect(parseBenchOptions([])).toMatchObject({
      cluster: true,
      clusterOnly: false,
      clusterExchanges: 3000,
      clusterRoutes: 48,
      clusterPartitions: 9,
      clusterSpread: 'route',
      clusterPort: 7200,
    });
    const o = parseBenchOptions([
      '--cluster-only',
      '--cluster-exchanges',
      '500',
      '--cluster-partitions',
      '3',
      '--cluster-spread',
      'even',
      '--no-cluster-bench',
    ]);
    expect(o).toMatchObject({ cluster: false, clusterOnly: true, clusterExchanges: 500, clusterPartitions: 3, clusterSpread: 'even' });
    expect(() => parseBenchOptions(['--cluster-spread', 'random'])).toThrow('--cluster-spread must be route or even');
    expect(() => parseBenchOptions(['--cluster-exchanges', '5'])).toThrow('--cluster-exchanges must be a number ≥ 100');
  });

  it('parses --worker-only, alone or with the sizes it measures', () => {
    expect(parseBenchOptions([])).toMatchObject({ workerOnly: false });
    expect(parseBenchOptions(['--worker-only', '--sizes', '2k'])).toMatchObject({ workerOnly: true, sizes: ['2k'] });
    expect(() => parseBenchOptions(['--worker-only', '--cluster-only'])).toThrow('--worker-only and --cluster-only exclude each other');
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([3], 99)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('fixed-rate rounds', () => {
  const round = (p50Ms: number, p99Ms: number, maxMs: number) => ({
    rate: 1000,
    sent: 3000,
    completed: 2999,
    errors: 1,
    non2xx: 0,
    achievedRate: 1000,
    p50Ms,
    p99Ms,
    maxMs,
  });

  it('reports the median round, so one pause of the machine does not decide the p99', () => {
    const c = combineRounds([round(0.9, 41.5, 90), round(0.8, 2.1, 6), round(1.1, 2.4, 7)]);
    expect(c).toMatchObject({ sent: 9000, completed: 8997, errors: 3, p50Ms: 0.9, p99Ms: 2.4, maxMs: 90 });
    expect(c.rounds).toHaveLength(3);
    const one = round(1, 2, 3);
    expect(combineRounds([one])).toBe(one);
  });
});

describe('process CPU times', () => {
  it('splits what a process used into user and kernel time, summing to its CPU seconds', () => {
    const before = cpuTimes(process.pid)!;
    // user time: a busy loop; kernel time: system calls (reads of /proc); until the process
    // has used two ticks more (however loaded the machine is), or 10 s have gone by
    const start = before.user + before.system;
    const deadline = Date.now() + 10_000;
    let n = 0;
    while (cpuSeconds(process.pid)! - start < 0.02 && Date.now() < deadline) n += readFileSync('/proc/self/stat', 'utf8').length;
    const after = cpuTimes(process.pid)!;
    expect(n).toBeGreaterThan(0);
    expect(after.user).toBeGreaterThanOrEqual(before.user);
    expect(after.system).toBeGreaterThanOrEqual(before.system);
    expect(after.user + after.system - (before.user + before.system)).toBeGreaterThan(0);
    const total = cpuSeconds(process.pid)!;
    const now = cpuTimes(process.pid)!;
    // read one after the other: equal up to what the process used in between (a tick or two)
    expect(Math.abs(total - (now.user + now.system))).toBeLessThanOrEqual(0.05);
    expect(cpuTimes(2 ** 30)).toBeNull();
  });
});

describe('worker bench size', () => {
  it("queues enough exchanges that the measuring window (10% to 90%) starts after a fresh worker's burst of stored records", () => {
    const burst = createConfig({ legacy: { url: 'http://127.0.0.1:9' }, candidate: { url: 'http://127.0.0.1:9' } }).retention
      .exchangesPerRoute;
    for (const c of COMPARE_CASES) expect(0.1 * e2eJobs(c)).toBeGreaterThanOrEqual(burst);
  });
});
