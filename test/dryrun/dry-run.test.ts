import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, type TandemOptions } from '../../src/config';
import { DEMO_COMPARE, DEMO_ROUTES } from '../../src/demo/run-demo';
import { startSampleCandidate, startSampleLegacy, type SampleBackend } from '../../src/demo';
import { driveSampleTraffic, sampleTrafficPlan } from '../../src/demo/sample-traffic';
import { routesBelow, runDryRun } from '../../src/dryrun';
import { openReplayFile } from '../../src/replay';
import { tempDir, writeConfig } from '../support/processes';
import { startTestTandem } from '../support/tandem';

const ROOT = join(__dirname, '../..');
/** Requests of the demo plan that the product route shadows (every other one is a write or unmatched). */
const PRODUCT_REQUESTS = sampleTrafficPlan(100).filter((p) => /^\/api\/v1\/products\/\d+$/.test(p.path)).length;
const REQUESTS = 100;

function writeDemoTraffic(file: string): void {
  writeFileSync(
    file,
    sampleTrafficPlan(REQUESTS)
      .map((p) => JSON.stringify({ method: p.method, url: p.path, headers: p.headers, ...(p.body ? { body: p.body } : {}) }))
      .join('\n'),
  );
}

function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/tandem.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

describe('tandem dry-run', () => {
  let legacy: SampleBackend;
  let candidate: SampleBackend;
  let options: TandemOptions;
  const tmp = tempDir('dry-run');
  const dir = tmp.path;
  const traffic = join(dir, 'demo.ndjson');

  beforeAll(async () => {
    [legacy, candidate] = await Promise.all([startSampleLegacy(), startSampleCandidate()]);
    // The demo's translator with a budget a loaded test machine cannot exceed, so neither run has timing-dependent translation errors.
    const roomy = join(dir, 'products-v2-roomy.js');
    writeFileSync(
      roomy,
      `module.exports = { ...require(${JSON.stringify(join(ROOT, 'dist/translators/products-v2.js'))}).default, name: 'products-v2-roomy', timeoutMs: 10000 };\n`,
    );
    const routes = DEMO_ROUTES.map((r) => (r.translator ? { ...r, translator: 'products-v2-roomy' } : r));
    options = {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url, timeoutMs: 5000 },
      compare: DEMO_COMPARE,
      routes,
      translators: [roomy],
      log: { level: 'silent' },
    };
    writeDemoTraffic(traffic);
  });
  afterAll(async () => {
    await Promise.all([legacy.close(), candidate.close()]);
    tmp.remove();
  });

  it('gives the same per-route figures as shadowing the demo traffic', async () => {
    const t = await startTestTandem(options);
    try {
      await driveSampleTraffic(t.url, REQUESTS);
      const shadowed = await t.waitFor(async () => {
        const c = await t.counters('product');
        return c.shadowed === PRODUCT_REQUESTS && c.compared === c.shadowed ? c : undefined;
      }, 30_000);
      const dry = await runDryRun(createConfig(options), await openReplayFile(traffic), { concurrency: 4 });
      const product = dry.routes.find((r) => r.route === 'product')!;
      const classes = ['match', 'mismatch', 'noise_only', 'candidate_error', 'translation_error', 'unparseable', 'too_large'];
      const pick = (c: Record<string, number>) => Object.fromEntries(classes.map((k) => [k, c[k] ?? 0]));
      expect(pick(product.counts)).toEqual(pick(shadowed));
      expect(product.requests).toBe(shadowed.shadowed);
      const { routes } = await t.api<{ routes: { name: string; matchRate: number | null }[] }>('/routes');
      expect(product.matchRate).toBe(routes.find((r) => r.name === 'product')!.matchRate);
      expect(product.counts.mismatch).toBeGreaterThan(0);
      // Writes are not mirrored in either; the list route is not configured.
      expect(dry.skipped).toEqual({ write: REQUESTS / 20, unmatched: REQUESTS / 20 });
      expect(dry.routes.map((r) => r.route)).toEqual(['product']);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it('groups the differences by cause', async () => {
    const dry = await runDryRun(createConfig(options), await openReplayFile(traffic), { concurrency: 2 });
    const causes = dry.routes[0].causes.map((g) => [g.cause.label, g.comparisons]);
    const product3 = sampleTrafficPlan(REQUESTS).filter((p) => p.path === '/api/v1/products/3').length;
    const product5 = sampleTrafficPlan(REQUESTS).filter((p) => p.path === '/api/v1/products/5').length;
    expect(causes).toEqual(
      expect.arrayContaining([
        ['price: number changed by -116.1', product3],
        ['currency: missing in candidate', product5],
      ]),
    );
    expect(routesBelow(dry, 0.9)).toEqual(['product']);
    expect(routesBelow(dry, 0.5)).toEqual([]);
  }, 30_000);

  it('prints text, JSON for scripts, and exits 3 below --min-match-rate (CLI)', async () => {
    const config = writeConfig(dir, { ...options, log: undefined });
    const text = await runCli(['dry-run', '-c', config, '--requests', traffic]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^product\s+90\s+\d+\s+\d+\s+0\s+0\s+0\s+\d+\.\d%$/m);
    expect(text.stdout).toMatch(/currency: missing in candidate/);
    expect(text.stderr).toBe('');
    const saved = join(dir, 'dry-run.json');
    const json = await runCli(['dry-run', '-c', config, '--requests', traffic, '--json', '--save', saved, '--min-match-rate', '0.99']);
    expect(json.status).toBe(3);
    expect(json.stderr).toMatch(/match rate below 0.99 on: product/);
    const out = JSON.parse(json.stdout);
    expect(out.routes[0]).toMatchObject({ route: 'product', requests: 90 });
    expect(out.exchanges).toHaveLength(90);
    expect(JSON.parse(readFileSync(saved, 'utf8')).routes).toEqual(out.routes);
    const pass = await runCli(['dry-run', '-c', config, '--requests', traffic, '--min-match-rate', '0.5']);
    expect(pass.status).toBe(0);
    const bad = await runCli(['dry-run', '-c', config, '--requests', traffic, '--min-match-rate', '95']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/must be a number from 0 to 1/);
  }, 60_000);

  it('--min-match-rate fails without evidence: a file that compares nothing exits 3, not 0 (CLI)', async () => {
    const config = writeConfig(dir, { ...options, log: undefined });
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '');
    const none = await runCli(['dry-run', '-c', config, '--requests', empty, '--min-match-rate', '0.5']);
    expect(none.stderr).toMatch(/nothing was compared: no evidence for the gate/);
    expect(none.status).toBe(3);
    // Only unmatched requests: skipped, so nothing compared either.
    const unmatched = join(dir, 'unmatched.ndjson');
    writeFileSync(unmatched, '{"method":"GET","url":"/nowhere/1"}\n');
    const skipped = await runCli(['dry-run', '-c', config, '--requests', unmatched, '--min-match-rate', '0.5']);
    expect(skipped.status).toBe(3);
    // Without the gate the run itself is fine.
    expect((await runCli(['dry-run', '-c', config, '--requests', empty])).status).toBe(0);
  }, 60_000);

  it('--save and suggest --out create the folder they name; a file that cannot be written is named after the results (CLI)', async () => {
    const config = writeConfig(dir, { ...options, log: undefined });
    const saved = join(dir, 'runs', 'today', 'dry-run.json');
    const save = await runCli(['dry-run', '-c', config, '--requests', traffic, '--save', saved]);
    expect(save.stderr).toBe('');
    expect(save.status).toBe(0);
    expect(JSON.parse(readFileSync(saved, 'utf8')).exchanges).toHaveLength(90);
    // README's own example writes into translators/, which a fresh folder does not have.
    const draft = join(dir, 'translators', 'product.ts');
    const out = await runCli(['suggest', '--from-dry-run', saved, '--route', 'product', '--out', draft]);
    expect(out.status).toBe(0);
    expect(readFileSync(draft, 'utf8')).toMatch(/defineTranslator/);
    // A file where the folder should be: the table is still printed, then one line naming the flag.
    const blocked = join(dir, 'runs', 'today', 'dry-run.json', 'again.json');
    const fail = await runCli(['dry-run', '-c', config, '--requests', traffic, '--save', blocked]);
    expect(fail.stdout).toMatch(/^product\s+90/m);
    expect(fail.stderr).toMatch(new RegExp(`^tandem dry-run: cannot write --save ${blocked.replace(/[.]/g, '\\.')}: .*\n$`));
    expect(fail.status).toBe(1);
  }, 60_000);
});
