import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type TestBackend } from '../support/backends';
import { testQueueConfig, testRedisConfig, uniquePrefix } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { candidateProduct, legacyProduct } from './helpers';

const BIN = join(__dirname, '../../bin/tandem.js');

describe('tandem rollout (CLI)', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let dir: string;
  let config: string;
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [BIN, 'rollout', '-c', config, ...args],
        { env: { ...process.env, REDIS_URL: '' } },
        (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: candidateProduct(req.url.split('/').pop()!) }));
    const prefix = uniquePrefix('cli');
    const routes = [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }];
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { prefix },
      customer: { from: 'header', name: 'x-customer' },
      routes,
    });
    dir = mkdtempSync(join(tmpdir(), 'tandem-rollout-'));
    config = join(dir, 'tandem.json');
    writeFileSync(
      config,
      JSON.stringify({
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { ...testRedisConfig(), prefix },
        queue: testQueueConfig(),
        routes,
      }),
    );
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the status with the configured phase as the default', async () => {
    const out = await cli('status');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^route\s+phase\s+percent\s+sample\s+customers\s+groups\nproduct\s+shadow\s+0%\s+1\s+0\s+0\n/);
  });

  it('refuses an unready customer with exit code 3, then a forced change reaches the running instance', async () => {
    const refused = await cli('customer', 'product', 'acme', 'candidate');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'customer "acme" on route "product" is not ready for candidate: nothing compared in the window (200) yet',
    );
    const forced = await cli('customer', 'product', 'acme', 'candidate', '--force', '--as', 'ada');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('product: customer acme -> candidate');
    await t.waitFor(
      async () =>
        (await request(`${t.url}/api/v1/products/1`, { headers: { 'x-customer': 'acme' } })).headers['x-served-by'] === 'candidate',
      10_000, // about a second on an idle machine (rollout.pollMs 250); 2 s was close on a loaded one
    );
  });

  it('prints readiness --json in the shape of the API: figures, summary, figures in words and shortfalls', async () => {
    const out = await cli('readiness', 'product', '--json');
    expect(out.code).toBe(4);
    const api = await t.api('/rollout/readiness/product');
    expect(api).toHaveProperty('summary');
    expect(JSON.parse(out.stdout)).toEqual(api);
  });

  it('shows the audit log and rejects bad input with exit code 2', async () => {
    const audit = await cli('audit', '--json');
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toEqual([
      expect.objectContaining({
        actor: 'cli:ada',
        action: 'customer.phase',
        target: 'product/customers/acme',
        previous: null,
        next: 'candidate',
        forced: true,
      }),
    ]);
    const bad = await cli('set', 'product', '--phase', 'sideways');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('phase must be one of legacy, shadow, candidate, candidate-only');
    // Where `clear` is taken too (a customer's or a group's override), the message says so.
    const customer = await cli('customer', 'product', 'acme', 'clera');
    expect(customer.code).toBe(2);
    expect(customer.stderr).toBe(
      'tandem rollout: phase must be one of legacy, shadow, candidate, candidate-only, or clear to remove the override (got "clera")\n',
    );
    const group = await cli('group', 'beta', '--route', 'product', '--phase', 'clera');
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('or clear to remove the override (got "clera")');
  });
});
