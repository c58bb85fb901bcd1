import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createConfig, type TandemOptions } from '../../src/config';
import { openReplayFile, runReplay } from '../../src/replay';
import { startBackend, type TestBackend } from '../support/backends';
import { tempDir, writeConfig } from '../support/processes';
import { openTestRedis, testRedisConfig } from '../support/redis';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10 });
const ROOT = join(__dirname, '../..');

const har = {
  log: {
    version: '1.2',
    creator: { name: 'test', version: '1' },
    entries: [
      {
        request: {
          method: 'GET',
          url: 'https://shop.example/products/1?x=1',
          headers: [
            { name: ':authority', value: 'shop.example' },
            { name: 'Accept', value: 'application/json' },
          ],
        },
      },
      { request: { method: 'GET', url: 'https://shop.example/products/2', headers: [] } },
      {
        request: {
          method: 'GET',
          url: 'https://shop.example/products/3',
          headers: [{ name: 'X-Request-Id', value: 'recorded-yesterday' }],
        },
      },
      {
        request: {
          method: 'POST',
          url: 'https://shop.example/orders',
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          postData: { mimeType: 'application/json', text: '{"n":1}' },
        },
      },
      { request: { method: 'GET', url: 'https://shop.example/elsewhere', headers: [] } },
      { request: { method: 'GET' } },
    ],
  },
};

describe('tandem replay', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let options: TandemOptions;
  const dir = tempDir('replay');

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      return m ? { body: product(m[1]) } : { status: 201, body: { created: true } };
    });
    candidate = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      // 2 and 5: the price differs.
      return m ? { body: m[1] === '2' || m[1] === '5' ? { ...product(m[1]), price: 11 } : product(m[1]) } : null;
    });
    const routes = [
      { name: 'product', match: 'GET /products/:id' },
      { name: 'order', match: 'POST /orders' },
    ];
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: candidate.url }, routes });
    options = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { ...testRedisConfig(), prefix: t.prefix },
      report: { token: TEST_TOKEN },
      log: { level: 'silent' },
      routes,
    };
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  it('replays a HAR file: expected matches and mismatches land in the report', async () => {
    const file = join(dir.path, 'yesterday.har');
    writeFileSync(file, JSON.stringify(har, null, 2));
    const progress: number[] = [];
    const summary = await runReplay(createConfig(options), await openReplayFile(file), {
      rate: 20,
      concurrency: 2,
      log: pino({ level: 'silent' }),
      onProgress: (s) => progress.push(s.done),
    });

    expect(summary).toMatchObject({
      total: 6,
      done: 6,
      match: 2,
      mismatch: 1,
      other: 0,
      skipped: { write: 1, unmatched: 1 },
      failed: {},
      invalid: 1,
    });
    expect(summary.invalidMessages[0]).toMatch(/^entry 6: request\.url/);
    expect(summary.routes).toEqual({ product: { match: 2, mismatch: 1 } });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(95); // 3 requests at 20/s: two 50 ms gaps

    const c = await t.counters('product');
    expect(c).toMatchObject({ compared: 3, match: 2, mismatch: 1, replayed: 3, shadowed: 3, seen: 3 });
    const page = await t.api<{ total: number; items: { id: string; path: string }[] }>('/routes/product/mismatches');
    expect(page.total).toBe(1);
    expect(page.items[0].path).toBe('/products/2');
    const full = await t.api(`/mismatches/${page.items[0].id}`);
    expect(full.exchange.source).toBe('replay');
    expect(full.exchange.request.headers['x-tandem-replay']).toBe('1');
    expect(full.result.differences).toEqual([expect.objectContaining({ path: 'price', legacy: 10, candidate: 11 })]);

    // Both backends got the same fresh request id, the pseudo-header stayed out, the POST was not sent.
    const atLegacy = legacy.seen.find((r) => r.url === '/products/1?x=1')!;
    const atCandidate = candidate.seen.find((r) => r.url === '/products/1?x=1')!;
    expect(atCandidate.headers['x-request-id']).toBe(atLegacy.headers['x-request-id']);
    expect(atCandidate.headers).toMatchObject({ 'x-tandem-shadow': '1', 'x-tandem-replay': '1', accept: 'application/json' });
    expect(atLegacy.headers[':authority']).toBeUndefined();
    expect(legacy.seen.find((r) => r.url === '/products/3')!.headers['x-request-id']).not.toBe('recorded-yesterday');
    expect(legacy.seen.some((r) => r.method === 'POST')).toBe(false);

    // The replay's private queue is gone.
    const redis = openTestRedis();
    expect(await redis.keys(`{${t.prefix}}:compare-replay-*`)).toEqual([]);
    await redis.quit();
  });

  it('runs from the command line on NDJSON, prints the summary and fails on mismatch when asked', async () => {
    const file = join(dir.path, 'requests.ndjson');
    writeFileSync(
      file,
      ['{"method":"GET","url":"/products/4"}', '{not json', '', '{"url":"/products/5","headers":{"accept":"application/json"}}'].join('\n'),
    );
    const config = writeConfig(dir.path, { ...options, log: { level: 'warn' } });
    // Not spawnSync: the backends live in this process and must keep answering.
    const run = await runCli(['replay', file, '-c', config, '--rate', '0', '--fail-on-mismatch']);
    expect(run.stdout).toMatch(/^replayed 2 of 3 entries in /);
    // The route's match rate of this run, by the report's one definition (match + noise_only over every result).
    expect(run.stdout).toMatch(/^route\s+compared\s+match\s+mismatch\s+other\s+failed\s+match rate$/m);
    expect(run.stdout).toMatch(/^product\s+2\s+1\s+1\s+0\s+0\s+50\.0%$/m);
    expect(run.stdout).toMatch(/^match 1, mismatch 1, other 0$/m);
    expect(run.stdout).toMatch(/unreadable entries: 1\n {2}entry 2: not valid JSON/);
    // The progress bar (without a terminal), with the summary's figures: the unreadable entry is not a skipped request.
    expect(run.stderr).toMatch(/replay \|.*\| 3\/3 \| match 1 \| mismatch 1 \| other 0 \| skipped 0 \| unreadable 1 \| failed 0 \|/);
    expect(run.status).toBe(3);
  });

  it('refuses to run without a Redis to store into', () => {
    const config = writeConfig(dir.path, { legacy: options.legacy, candidate: options.candidate }, 'no-redis.json');
    const env = { ...process.env };
    delete env.REDIS_URL;
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/tandem.js'), 'replay', 'x.har', '-c', config], { encoding: 'utf8', env });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(/set redis\.url in the config or REDIS_URL/),
    });
  });
});

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/tandem.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => (clearTimeout(timer), done({ status, stdout, stderr })));
  });
}
