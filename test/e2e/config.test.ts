import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createConfig, loadConfigFile } from '../../src/config';

const ok = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } };

describe('configuration', () => {
  it('fills defaults', () => {
    const c = createConfig({ ...ok, routes: [{ name: 'p', match: 'GET /p/:id' }] });
    expect(c.report.path).toBe('/_tandem');
    expect(c.redis.prefix).toBe('tandem');
    expect(c.routes[0].phase).toBe('shadow');
    expect(c.routes[0].matcher.match('GET', '/p/5')).toEqual({ id: '5' });
    expect(c.routes[0].matcher.match('POST', '/p/5')).toBeNull();
  });

  it('resolves environment fallbacks and derived values once', () => {
    const fromEnv = createConfig(ok, {
      REDIS_URL: 'redis://10.0.0.1:6379',
      TANDEM_REDACT_KEY: 'k'.repeat(20),
      TANDEM_REPORT_TOKEN: 't'.repeat(20),
    });
    expect(fromEnv.redis).toMatchObject({ url: 'redis://10.0.0.1:6379', urlFrom: 'REDIS_URL' });
    expect(fromEnv.redact.key).toBe('k'.repeat(20));
    expect(fromEnv.report).toMatchObject({ token: 't'.repeat(20), tokenGenerated: false });
    // The config's own values win over the environment; an empty variable counts as unset.
    const own = createConfig(
      { ...ok, redis: { url: 'redis://own:6379' }, redact: { key: 'c'.repeat(20) } },
      { REDIS_URL: 'redis://env:6379', TANDEM_REDACT_KEY: 'e'.repeat(20) },
    );
    expect(own.redis).toMatchObject({ url: 'redis://own:6379', urlFrom: 'config' });
    expect(own.redact.key).toBe('c'.repeat(20));
    const none = createConfig(ok, { REDIS_URL: '' });
    expect(none.redis.url).toBeUndefined();
    expect(none.redis.urlFrom).toBe('embedded');
    // Derived once: how far a compressed body may decode, and the producer's linger and the sockets from their one default.
    expect(none.capture.maxDecodedBytes).toBe(8 << 20);
    expect(createConfig({ ...ok, capture: { maxBodyBytes: 4 << 20 } }).capture.maxDecodedBytes).toBe(32 << 20);
    expect(none.queue.lingerMs).toBe(20);
    expect(none.legacy.maxSockets).toBe(512);
  });

  it('resolves a Redis Cluster: redis.cluster, else REDIS_CLUSTER_NODES (over REDIS_URL); never beside a url', () => {
    const nodes = ['127.0.0.1:7000', 'redis-b:7001', '[::1]:7002'];
    expect(createConfig({ ...ok, redis: { cluster: { nodes } } }, {}).redis).toMatchObject({
      cluster: { nodes },
      url: undefined,
      urlFrom: 'config',
    });
    const env = createConfig(ok, { REDIS_CLUSTER_NODES: ' 127.0.0.1:7000, 127.0.0.1:7001 ,', REDIS_URL: 'redis://env:6379' });
    expect(env.redis).toMatchObject({
      cluster: { nodes: ['127.0.0.1:7000', '127.0.0.1:7001'] },
      url: undefined,
      urlFrom: 'REDIS_CLUSTER_NODES',
    });
    // The config's own Redis, whichever kind, wins over both variables.
    expect(createConfig({ ...ok, redis: { url: 'redis://own:6379' } }, { REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).redis).toMatchObject({
      url: 'redis://own:6379',
      cluster: undefined,
      urlFrom: 'config',
    });
    const both = thrown(() => createConfig({ ...ok, redis: { url: 'redis://own:6379', cluster: { nodes } } }, {}));
    expect(both.issues).toEqual([{ path: ['redis', 'cluster'], message: 'set either redis.url or redis.cluster, not both' }]);
    expect(thrown(() => createConfig({ ...ok, redis: { cluster: { nodes: [] } } }, {})).issues).toEqual([
      { path: ['redis', 'cluster', 'nodes'], message: 'needs at least one host:port' },
    ]);
    expect(thrown(() => createConfig({ ...ok, redis: { cluster: { nodes: ['redis://a:7000'] } } }, {})).issues).toEqual([
      { path: ['redis', 'cluster', 'nodes', 0], message: 'must be host:port, like 127.0.0.1:7000 (got "redis://a:7000")' },
    ]);
    const badEnv = thrown(() => createConfig(ok, { REDIS_CLUSTER_NODES: '127.0.0.1:7000,nope' }));
    expect(badEnv.message).toContain('REDIS_CLUSTER_NODES.1: must be host:port, like 127.0.0.1:7000');
  });

  it('tags keys per route with a cluster and per deployment on one Redis, unless redis.tagging says otherwise', () => {
    const nodes = ['127.0.0.1:7000'];
    expect(createConfig(ok, {}).redis.tagging).toBe('deployment');
    expect(createConfig(ok, { REDIS_URL: 'redis://env:6379' }).redis.tagging).toBe('deployment');
    expect(createConfig({ ...ok, redis: { cluster: { nodes } } }, {}).redis.tagging).toBe('route');
    expect(createConfig(ok, { REDIS_CLUSTER_NODES: nodes[0] }).redis.tagging).toBe('route');
    expect(createConfig({ ...ok, redis: { tagging: 'route' } }, {}).redis.tagging).toBe('route');
    expect(createConfig({ ...ok, redis: { cluster: { nodes }, tagging: 'deployment' } }, {}).redis.tagging).toBe('deployment');
    expect(thrown(() => createConfig({ ...ok, redis: { tagging: 'shard' as never } }, {})).issues[0].path).toEqual(['redis', 'tagging']);
  });

  it('names every bad field and what is wrong', () => {
    let err: ConfigError | undefined;
    try {
      createConfig({ legacy: { url: 'ftp://x' }, candidate: {}, routes: [{ name: 'p', match: 'FETCH /x' }] } as never);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.code).toBe('ERR_TANDEM_CONFIG_INVALID');
    expect(err!.message).toMatch(/legacy\.url: must be an http/);
    expect(err!.message).toMatch(/candidate\.url/);
    expect(err!.message).toMatch(/routes\.0\.match: must look like "GET \/products\/:id"/);
  });

  it('refuses two routes claiming the same requests', () => {
    expect(() =>
      createConfig({
        ...ok,
        routes: [
          { name: 'a', match: 'GET /p/:id' },
          { name: 'b', match: 'GET /p/:x' },
        ],
      }),
    ).toThrow(/routes\.1\.match: "GET \/p\/:x" is already claimed by routes\.0/);
  });

  it('reads YAML with ${ENV} substitution and reports YAML errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-cfg-'));
    writeFileSync(join(dir, 'ok.yaml'), 'legacy:\n  url: ${LEGACY_URL}\ncandidate:\n  url: http://127.0.0.1:2\n');
    expect(loadConfigFile(join(dir, 'ok.yaml'), { LEGACY_URL: 'http://127.0.0.1:9' }).legacy.url).toBe('http://127.0.0.1:9');
    writeFileSync(join(dir, 'bad.yaml'), 'legacy: [\n');
    expect(() => loadConfigFile(join(dir, 'bad.yaml'))).toThrow(/not valid YAML/);
  });

  it('`tandem serve` with a bad config exits 2 naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-cfg-'));
    writeFileSync(join(dir, 'tandem.yaml'), 'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\n  timeoutMs: -5\n');
    const run = spawnSync(process.execPath, [join(__dirname, '../../bin/tandem.js'), 'serve', '--config', join(dir, 'tandem.yaml')], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/candidate\.timeoutMs: .*>0/);
  });
});

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
