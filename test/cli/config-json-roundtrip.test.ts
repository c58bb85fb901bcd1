import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeConfig } from '../support/processes';

const ROOT = join(__dirname, '../..');
const tandem = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/tandem.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: '', REDIS_CLUSTER_NODES: '', TANDEM_REPORT_TOKEN: '', TANDEM_REDACT_KEY: '', ...env },
  });

/**
 * `tandem config check --json` prints the effective config as a config: what it prints
 * is accepted back by `tandem config check`, and resolves to the same effective config
 * (a fixed point), secrets left out and named on stderr.
 */
describe('tandem config check --json is a config', () => {
  const dir = tempDir('config-json');
  afterAll(() => dir.remove());

  const rich = {
    legacy: { url: 'http://127.0.0.1:3001', timeoutMs: 1000 },
    candidate: { url: 'http://127.0.0.1:3002' },
    redis: { url: 'redis://:redis-password-0123@127.0.0.1:6379/0', prefix: 'shop' },
    report: { token: 'report-token-0123456789', path: '/_t/' },
    metrics: { token: 'metrics-token-0123456789' },
    redact: { key: 'redact-key-0123456789abcdef', headers: ['x-api-key'] },
    capture: { maxBodyBytes: 2_000_000 },
    customer: { from: 'jwt', claim: 'tenant', jwtKey: 'jwt-key-0123456789abcdef' },
    notify: {
      webhookUrl: 'https://hooks.example.com/services/T0/B0/hook-path-secret',
      headers: { authorization: 'Bearer hook-secret' },
      matchRateBelow: 0.9,
    },
    compare: { ignore: ['requestId'] },
    routes: [
      { name: 'product', match: 'GET /products/:id', compare: { ignore: ['updatedAt'], numericTolerance: 0.01 } },
      { name: 'order', match: 'POST /orders', mirrorWrites: true, sampleRate: 0.5 },
    ],
  };

  it('prints a config that config check accepts back and resolves to the same effective config', () => {
    const file = writeConfig(dir.path, rich);
    const first = tandem(['config', 'check', file, '--json']);
    expect(first.status).toBe(0);
    const printed = JSON.parse(first.stdout) as Record<string, any>;
    const again = join(dir.path, 'effective.json');
    writeFileSync(again, first.stdout);
    const second = tandem(['config', 'check', again, '--json']);
    expect(second.stderr).not.toMatch(/Invalid|unknown key/);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(printed);
    // Defaults are filled in; what the file set is kept as set.
    expect(printed.queue.packSize).toBe(64);
    expect(printed.capture).toEqual({ maxBodyBytes: 2_000_000 });
    expect(printed.routes[0]).toMatchObject({ name: 'product', compare: { ignore: ['updatedAt'], numericTolerance: 0.01 } });
    expect(printed.compare).toEqual({ ignore: ['requestId'] });
    expect(printed.redis).toMatchObject({ url: 'redis://127.0.0.1:6379/0', prefix: 'shop' });
  });

  it('leaves every secret out, names each on stderr, and prints no placeholder a config would take as a value', () => {
    const file = writeConfig(dir.path, rich, 'secrets.json');
    const run = tandem(['config', 'check', file, '--json']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/report-token|metrics-token|redact-key-|jwt-key|hook-secret|hook-path-secret|redis-password|\(set\)/);
    for (const path of [
      'report.token',
      'metrics.token',
      'redact.key',
      'customer.jwtKey',
      'notify.webhookUrl',
      'notify.headers.authorization',
      'redis.url',
    ])
      expect(run.stderr).toContain(path);
  });

  it('leaves values taken from the environment to the environment (loaded again there, they resolve the same)', () => {
    const file = writeConfig(
      dir.path,
      { legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' } },
      'env.json',
    );
    const run = tandem(['config', 'check', file, '--json'], { REDIS_URL: 'redis://127.0.0.1:6390' });
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, any>;
    expect(printed.redis.url).toBeUndefined();
    expect(printed.report.token).toBeUndefined();
  });

  it('says in --help that --json prints a config', () => {
    expect(tandem(['config', 'check', '--help']).stdout).toMatch(/--json\s+print the effective config as a config file/);
  });
});
