import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeLag } from '../../src/metrics';
import { Pacer, parseHar, parseNdjsonLine } from '../../src/replay';
import { tempDir, writeConfig } from '../support/processes';

const ROOT = join(__dirname, '../..');
const tandem = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/tandem.js'), ...args], { encoding: 'utf8' });

describe('tandem config check', () => {
  const dir = tempDir('config-check');
  afterAll(() => dir.remove());
  const base = { legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' } };

  it('prints the resolved routes of a valid config', () => {
    const file = writeConfig(dir.path, {
      ...base,
      report: { token: 'report-token-0123456789' },
      metrics: { token: 'metrics-token-0123456789' },
      notify: { webhookUrl: 'https://hooks.example.com/secret-path', headers: { authorization: 'Bearer hook-secret' } },
      routes: [
        { name: 'product', match: 'GET /products/:id', translator: 'products-v2', compare: { ignore: ['updatedAt'] } },
        { name: 'order', match: 'POST /orders', mirrorWrites: true, sampleRate: 0.5 },
      ],
    });
    const run = tandem(['config', 'check', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${file}: valid`);
    expect(run.stdout).toMatch(/^ {2}product\s+GET \/products\/:id\s+shadow\s+products-v2\s+not mirrored\s+1\s+ignore updatedAt$/m);
    expect(run.stdout).toMatch(/^ {2}order\s+POST \/orders\s+shadow\s+\(identity\)\s+mirrored\s+0\.5\s+defaults$/m);
    expect(run.stdout).toMatch(/^metrics {4}127\.0\.0\.1:8082\/metrics \(token required\)$/m);
    expect(run.stdout).toMatch(/^notify {5}new signatures -> webhook https:\/\/hooks\.example\.com\/…$/m);
    const json = tandem(['config', 'check', file, '--json']);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.routes.map((r: { name: string }) => r.name)).toEqual(['product', 'order']);
    expect(json.stdout).not.toMatch(/report-token|metrics-token|hook-secret/);
  });

  it('exits 2 naming every bad field, and unknown translators', () => {
    const bad = writeConfig(dir.path, { ...base, metrics: { path: 'metrics' }, notify: { matchRateBelow: 2 } }, 'bad.json');
    const run = tandem(['config', 'check', bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/metrics\.path: must be an absolute path/);
    expect(run.stderr).toMatch(/notify\.matchRateBelow: Too big/);
    const unknown = writeConfig(dir.path, { ...base, routes: [{ name: 'p', match: 'GET /p', translator: 'nope' }] }, 'unknown.json');
    const run2 = tandem(['config', 'check', unknown]);
    expect(run2.status).toBe(2);
    expect(run2.stderr).toMatch(/nope/);
  });

  it('documents every command in --help', () => {
    const main = tandem(['--help']);
    expect(main.status).toBe(0);
    for (const cmd of ['serve', 'worker', 'demo', 'translate', 'replay', 'config'])
      expect(main.stdout).toMatch(new RegExp(`^ {2}${cmd}\\b`, 'm'));
    expect(main.stdout).toMatch(/TANDEM_LOG_LEVEL/);
    expect(main.stdout).toMatch(/\/readyz/);
    expect(tandem(['worker', '--help']).stdout).toMatch(/--metrics-port <port>/);
    expect(tandem(['replay', '--help']).stdout).toMatch(/--rate <n>[\s\S]*--concurrency <n>[\s\S]*--fail-on-mismatch/);
    expect(tandem(['config', 'check', '--help']).stdout).toMatch(/Exit codes: 0 valid, 2 invalid/);
  });
});

describe('replay readers and pacing', () => {
  it('reads HAR bodies: text, base64 and form params; joins cookies', () => {
    const items = parseHar(
      JSON.stringify({
        log: {
          entries: [
            {
              request: {
                method: 'post',
                url: 'http://x/a?q=1&q=2',
                headers: [
                  { name: 'Cookie', value: 'a=1' },
                  { name: 'cookie', value: 'b=2' },
                ],
                postData: { mimeType: 'text/plain', text: 'aGk=', encoding: 'base64' },
              },
            },
            {
              request: {
                method: 'POST',
                url: '/form',
                headers: [],
                postData: {
                  mimeType: 'application/x-www-form-urlencoded',
                  params: [
                    { name: 'a', value: '1' },
                    { name: 'b', value: 'x y' },
                  ],
                },
              },
            },
          ],
        },
      }),
    );
    expect(items[0].request).toMatchObject({ method: 'POST', path: '/a', query: { q: ['1', '2'] }, headers: { cookie: 'a=1; b=2' } });
    expect(items[0].request!.body!.toString()).toBe('hi');
    expect(items[1].request!.body!.toString()).toBe('a=1&b=x+y');
    expect(() => parseHar('{"entries":[]}')).toThrow(/not a HAR file/);
  });

  it('reads NDJSON lines and names what is wrong', () => {
    const ok = parseNdjsonLine('{"method":"put","path":"/p/1","query":{"v":2},"body":{"a":1}}', 7);
    expect(ok.request).toMatchObject({ method: 'PUT', path: '/p/1', query: { v: '2' }, headers: { 'content-type': 'application/json' } });
    expect(ok.request!.body!.toString()).toBe('{"a":1}');
    expect(parseNdjsonLine('{"method":"GET"}', 3)).toEqual({ entry: 3, error: '(line): needs "url" or "path"' });
  });

  it('never runs more than the concurrency at once', async () => {
    const pacer = new Pacer(0, 3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const release = await pacer.acquire();
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        release();
      }),
    );
    expect(peak).toBe(3);
  });

  it('says how far behind the results are', () => {
    expect(describeLag({ waiting: 0, lagSeconds: 0 })).toBe('results are up to date');
    expect(describeLag({ waiting: 3, lagSeconds: 12.4 })).toBe('results are 12 seconds behind');
    expect(describeLag({ waiting: 3, lagSeconds: 600 })).toBe('results are 10 minutes behind');
  });
});
