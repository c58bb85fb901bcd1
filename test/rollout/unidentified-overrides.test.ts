import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overridesWarning, type RolloutState } from '../../src/rollout';
import { startBackend, type TestBackend } from '../support/backends';
import { testRedisConfig, uniquePrefix } from '../support/redis';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend, candidateProduct, legacyProduct } from './helpers';

const BIN = join(__dirname, '../../bin/tandem.js');

// Without `customer:` every request is `anonymous`: a customer or group phase, or a percentage, can never apply.
describe('customer and group overrides without customer identification', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let dir: string;
  const prefix = uniquePrefix('unidentified');
  const routes = [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }];
  const file = (extra: object = {}) => {
    const f = join(dir, `tandem-${Object.keys(extra).join('-') || 'plain'}.json`);
    writeFileSync(
      f,
      JSON.stringify({
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { ...testRedisConfig(), prefix },
        routes,
        ...extra,
      }),
    );
    return f;
  };
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_URL: '' } }, (err, stdout, stderr) =>
        done({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: candidateProduct(req.url.split('/').pop()!) }));
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: candidate.url }, redis: { prefix }, routes });
    dir = mkdtempSync(join(tmpdir(), 'tandem-unidentified-'));
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('overridesWarning names the overrides, and is silent with customer identification or without overrides', () => {
    const state: RolloutState = {
      version: 1,
      routes: {
        product: { phase: 'shadow', percentage: 0, sampleRate: 1, customers: { acme: 'candidate' }, groups: { beta: 'candidate' } },
      },
      groups: { beta: ['acme'] },
    };
    expect(overridesWarning(state, undefined)).toMatch(/^route "product" has 1 customer override and 1 group phase; .*never apply/);
    expect(overridesWarning(state, { from: 'header', name: 'x-customer-id' })).toBeUndefined();
    const none = { ...state, groups: {}, routes: { product: { ...state.routes.product, customers: {}, groups: {} } } };
    expect(overridesWarning(none, undefined)).toBeUndefined();
    // A customer group is defined only to be given a phase: it never applies either.
    expect(overridesWarning({ ...none, groups: { beta: ['acme'] } }, undefined)).toMatch(/^customer group "beta" defined; .*never apply/);
    // A percentage rollout hashes the customer id: with every request anonymous it never applies either.
    const percentage = { ...none, routes: { product: { ...none.routes.product, percentage: 10 } } };
    expect(overridesWarning(percentage, undefined)).toMatch(/^route "product" has a 10% rollout; .*percentage rollouts never apply/);
    const all = { ...state, routes: { product: { ...state.routes.product, percentage: 25 } } };
    expect(overridesWarning(all, undefined)).toMatch(/^route "product" has 1 customer override, 1 group phase, and a 25% rollout; /);
  });

  it('the API answers a customer or group phase, or a percentage, with a warning', async () => {
    const set = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate', force: true });
    expect(set.status).toBe(200);
    expect(set.body.warning).toMatch(/customer override.*every request is `anonymous`.*customer: \{ from: header/);
    expect(set.body.routes.product.customers).toEqual({ acme: 'candidate' });
    const defined = await apiSend(t.reportUrl, 'PUT', '/rollout/groups/beta', { customers: ['acme'] });
    expect(defined.status).toBe(200);
    expect(defined.body.warning).toMatch(/customer group "beta" defined; .*never apply/);
    const group = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product/groups/beta', { phase: 'candidate', force: true });
    expect(group.body.warning).toMatch(/1 group phase/);
    const percentage = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/product', { percentage: 10, force: true });
    expect(percentage.status).toBe(200);
    expect(percentage.body.warning).toMatch(/a 10% rollout; .*percentage rollouts never apply/);
  });

  it('the CLI warns on stderr, and `config check` warns when no customer is identified', async () => {
    const plain = file();
    const run = await cli('rollout', '-c', plain, 'customer', 'product', 'globex', 'candidate', '--force');
    expect(run.code).toBe(0);
    // (the API test above left a group phase and a 10% rollout on the route)
    expect(run.stderr).toMatch(
      /^tandem rollout: warning: route "product" has 2 customer overrides, 1 group phase, and a 10% rollout; .*never apply/m,
    );
    const group = await cli('rollout', '-c', plain, 'group', 'gamma', '--members', 'acme,globex');
    expect(group.code).toBe(0);
    expect(group.stderr).toMatch(/^tandem rollout: warning: .*customer groups "beta" and "gamma" defined; .*never apply/m);
    const identified = file({ customer: { from: 'header', name: 'x-customer-id' } });
    const quiet = await cli('rollout', '-c', identified, 'status');
    expect(quiet.stderr).toBe('');
    expect((await cli('config', 'check', plain)).stderr).toMatch(/^warning: no `customer` identification is configured/m);
    expect((await cli('config', 'check', identified)).stderr).toBe('');
  });
});
