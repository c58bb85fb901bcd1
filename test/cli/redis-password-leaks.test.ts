import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { killAll, startRedisProcess, startWorkerProcess, tempDir, writeConfig, type RedisProcess } from '../support/processes';

const ROOT = join(__dirname, '../..');
const tandem = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/tandem.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: '', REDIS_CLUSTER_NODES: '', TANDEM_REPORT_TOKEN: '', TANDEM_REDACT_KEY: '', ...env },
  });

const SECRET = 'review1-redis-secret-0123456789';
const base = { legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' } };

/**
 * Review (review1): the Redis password must reach neither `config check` output nor logs,
 * whichever way the URL carries it. ioredis takes `password` (and `username`) from the URL's
 * query string too (`redis://host:6379?password=...`), and `describeRedisTarget` prints the
 * URL as written.
 */
describe('the Redis password stays out of output and logs (review1)', () => {
  const dir = tempDir('review1-redis-secret');
  let redis: RedisProcess | undefined;
  afterAll(async () => {
    await killAll();
    await redis?.remove();
    dir.remove();
  });

  it('config check --json leaves out a password given in the URL query (ioredis reads it from there)', () => {
    const file = writeConfig(dir.path, { ...base, redis: { url: `redis://127.0.0.1:6379/0?password=${SECRET}` } }, 'query.json');
    const run = tandem(['config', 'check', file, '--json']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain(SECRET);
  });

  it('config check (text) does not print the password of redis.url', () => {
    const file = writeConfig(dir.path, { ...base, redis: { url: `redis://:${SECRET}@127.0.0.1:6379/0` } }, 'text.json');
    const run = tandem(['config', 'check', file]);
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('tandem worker does not log the password of redis.url', async () => {
    redis = await startRedisProcess(['--requirepass', SECRET]);
    const file = writeConfig(
      dir.path,
      { ...base, redis: { url: `redis://:${SECRET}@127.0.0.1:${redis.port}`, prefix: 'review1pw' }, worker: { threads: 0 } },
      'worker.json',
    );
    const worker = await startWorkerProcess(file);
    expect(worker.output()).toMatch(/tandem worker started/);
    expect(worker.output()).not.toContain(SECRET);
  }, 60_000);
});
