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

  /** The variables `--json` prints for the secrets of `rich` (generated names), with the values `rich` held. */
  const richSecrets = {
    TANDEM_REDIS_URL: rich.redis.url,
    TANDEM_REPORT_TOKEN: rich.report.token,
    TANDEM_METRICS_TOKEN: rich.metrics.token,
    TANDEM_REDACT_KEY: rich.redact.key,
    TANDEM_CUSTOMER_JWT_KEY: rich.customer.jwtKey,
    TANDEM_NOTIFY_WEBHOOK_URL: rich.notify.webhookUrl,
    TANDEM_NOTIFY_HEADER_AUTHORIZATION: rich.notify.headers.authorization,
  };

  it('prints a config that config check accepts back, with the variables it names set, and resolves to the same effective config', () => {
    const file = writeConfig(dir.path, rich);
    const first = tandem(['config', 'check', file, '--json']);
    expect(first.status).toBe(0);
    const printed = JSON.parse(first.stdout) as Record<string, any>;
    const again = join(dir.path, 'effective.json');
    writeFileSync(again, first.stdout);
    const second = tandem(['config', 'check', again, '--json'], richSecrets);
    expect(second.stderr).not.toMatch(/Invalid|unknown key/);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(printed);
    // The same effective config: the text description (which shows what the secrets turn on) too.
    expect(tandem(['config', 'check', again], richSecrets).stdout.split('\n').slice(1)).toEqual(
      tandem(['config', 'check', file]).stdout.split('\n').slice(1),
    );
    // Defaults are filled in; what the file set is kept as set.
    expect(printed.queue.packSize).toBe(64);
    expect(printed.capture).toEqual({ maxBodyBytes: 2_000_000 });
    expect(printed.routes[0]).toMatchObject({ name: 'product', compare: { ignore: ['updatedAt'], numericTolerance: 0.01 } });
    expect(printed.compare).toEqual({ ignore: ['requestId'] });
    expect(printed.redis).toMatchObject({ url: '${TANDEM_REDIS_URL}', prefix: 'shop' });
  });

  it('prints every secret as a ${VAR} reference, never its value, and lists the variables on stderr', () => {
    const file = writeConfig(dir.path, rich, 'secrets.json');
    const run = tandem(['config', 'check', file, '--json']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/report-token|metrics-token|redact-key-|jwt-key|hook-secret|hook-path-secret|redis-password|\(set\)/);
    const printed = JSON.parse(run.stdout) as Record<string, any>;
    expect(printed.customer.jwtKey).toBe('${TANDEM_CUSTOMER_JWT_KEY}');
    expect(printed.notify.headers).toEqual({ authorization: '${TANDEM_NOTIFY_HEADER_AUTHORIZATION}' });
    for (const [variable, path] of [
      ['TANDEM_REPORT_TOKEN', 'report.token'],
      ['TANDEM_METRICS_TOKEN', 'metrics.token'],
      ['TANDEM_REDACT_KEY', 'redact.key'],
      ['TANDEM_CUSTOMER_JWT_KEY', 'customer.jwtKey'],
      ['TANDEM_NOTIFY_WEBHOOK_URL', 'notify.webhookUrl'],
      ['TANDEM_NOTIFY_HEADER_AUTHORIZATION', 'notify.headers.authorization'],
      ['TANDEM_REDIS_URL', 'redis.url'],
    ])
      expect(run.stderr).toContain(`${variable}  ${path}`);
  });

  it('the printed config does not load without its variables: the loader names each one missing (no silent loss of JWT verification)', () => {
    const file = writeConfig(dir.path, rich, 'reload.json');
    const again = join(dir.path, 'reload-effective.json');
    writeFileSync(again, tandem(['config', 'check', file, '--json']).stdout);
    const { TANDEM_CUSTOMER_JWT_KEY: _jwt, ...allButJwt } = richSecrets;
    const run = tandem(['config', 'check', again], allButJwt);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/TANDEM_CUSTOMER_JWT_KEY/);
    expect(run.stderr).not.toMatch(/TANDEM_REPORT_TOKEN/);
    const none = tandem(['config', 'check', again]);
    expect(none.status).toBe(2);
    for (const variable of ['TANDEM_REDIS_URL', 'TANDEM_METRICS_TOKEN', 'TANDEM_CUSTOMER_JWT_KEY'])
      expect(none.stderr).toContain(`\${${variable}} is not set in the environment`);
  });

  it("keeps the file's own ${VAR} references, and a Redis URL's own password reference", () => {
    const file = join(dir.path, 'own.yaml');
    writeFileSync(
      file,
      [
        'legacy: { url: http://127.0.0.1:3001 }',
        'candidate: { url: http://127.0.0.1:3002 }',
        'redis: { url: "redis://:${OWN_REDIS_PW}@127.0.0.1:6379/0" }',
        'report: { token: "${OWN_REPORT_TOKEN}" }',
        'customer: { from: jwt, claim: tenant, jwtKey: "${OWN_JWT_KEY:-}" }',
        '',
      ].join('\n'),
    );
    const env = {
      OWN_REDIS_PW: 'own-redis-pw',
      OWN_REPORT_TOKEN: 'own-report-token-0123456789',
      OWN_JWT_KEY: 'own-jwt-key-0123456789abcdef',
    };
    const run = tandem(['config', 'check', file, '--json'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/own-redis-pw|own-report-token|own-jwt-key/);
    const printed = JSON.parse(run.stdout) as Record<string, any>;
    expect(printed.redis.url).toBe('redis://:${OWN_REDIS_PW}@127.0.0.1:6379/0');
    expect(printed.report.token).toBe('${OWN_REPORT_TOKEN}');
    expect(printed.customer.jwtKey).toBe('${OWN_JWT_KEY}');
    expect(run.stderr).toContain('OWN_JWT_KEY  customer.jwtKey (as the file wrote it)');
    const again = join(dir.path, 'own-effective.json');
    writeFileSync(again, run.stdout);
    expect(tandem(['config', 'check', again, '--json'], env).stdout).toBe(run.stdout);
  });

  it('does not keep a Redis URL as written when its password is written in it literally', () => {
    const file = join(dir.path, 'mixed.yaml');
    writeFileSync(
      file,
      'legacy: { url: http://127.0.0.1:3001 }\ncandidate: { url: http://127.0.0.1:3002 }\nredis: { url: "redis://${OWN_HOST}:6379?password=literal-pw-123" }\n',
    );
    const run = tandem(['config', 'check', file, '--json'], { OWN_HOST: '127.0.0.1' });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('literal-pw-123');
    expect((JSON.parse(run.stdout) as Record<string, any>).redis.url).toBe('${TANDEM_REDIS_URL}');
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
