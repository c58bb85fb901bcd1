import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

const BIN = join(__dirname, '../../bin/tandem.js');

// Each test starts several CLI processes; on a loaded machine each start takes seconds.
jest.setTimeout(180_000);

function tandem(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_URL: '', ...env } }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, stdout, stderr }),
    ),
  );
}

describe('tandem commands say what is wrong', () => {
  let dir: string;
  let config: string;
  const prefix = uniquePrefix('cli18');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-cmd-'));
    writeFileSync(
      join(dir, 'upper.js'),
      "module.exports = { name: 'upper-name', response: (res) => ({ ...res, body: { ...res.body, name: String(res.body.name).toUpperCase() } }) };\n",
    );
    writeFileSync(
      join(dir, 'sample.json'),
      JSON.stringify({ request: { method: 'GET', path: '/p/1' }, response: { status: 200, body: { name: 'ada' } } }),
    );
    config = join(dir, 'tandem.yaml');
    writeFileSync(
      config,
      [
        'legacy: { url: http://127.0.0.1:1 }',
        'candidate: { url: http://127.0.0.1:2 }',
        `redis: { url: ${TEST_REDIS_URL}, prefix: ${prefix} }`,
        'translators: [./upper.js]',
        'rollout: { minCompared: 5 }',
        'routes:',
        '  - { name: product, match: GET /p/:id, translator: upper-name }',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deletePrefix(prefix);
  });

  it('`tandem rediff --route nosuch` exits 2 naming the configured routes', async () => {
    const run = await tandem(['rediff', '-c', config, '--route', 'nosuch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no configured route is named "nosuch" (configured: product)');
    expect(run.stdout).not.toContain('recomputed');
  });

  it("`tandem translate -c` loads the config's translators, and takes a route name", async () => {
    for (const name of ['upper-name', 'product']) {
      const run = await tandem(['translate', '-c', config, name, join(dir, 'sample.json'), '-d', 'response']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).response.body).toEqual({ name: 'ADA' });
    }
  });

  it('`tandem rollout readiness` exits 4 when not ready and says whether volume or rate is short', async () => {
    const run = await tandem(['rollout', 'readiness', 'product', '-c', config]);
    expect(run.code).toBe(4);
    // The API's summary sentence (one wording), each shortfall on its own line.
    expect(run.stdout).toMatch(/^not ready: nothing compared in the window \(200\) yet, threshold 99\.0%\n/);
    expect(run.stdout).toContain('volume short: 0 of the 5 compared requests needed');
  });

  it('every rollout subcommand lists the common options in its --help, and takes them after its name', async () => {
    for (const sub of ['status', 'set', 'customer', 'group', 'readiness', 'audit']) {
      const help = await tandem(['rollout', sub, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/-c, --config <file>/);
      expect(help.stdout).toMatch(/--json/);
      expect(help.stdout).toMatch(/--as <user>/);
    }
    const status = await tandem(['rollout', 'status', '--json', '-c', config]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).routes.product.phase).toBe('shadow');
  });

  it('a refusal says "pass --force", an unknown group exits 2, and a change that changes nothing is not audited', async () => {
    const refused = await tandem(['rollout', 'set', 'product', '--phase', 'candidate', '-c', config]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/; pass --force to override\n$/);
    const nothing = await tandem(['rollout', 'set', 'product', '-c', config]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('give --phase, --percentage or --sample-rate');
    const badRate = await tandem(['rollout', 'set', 'product', '--sample-rate', '2', '-c', config]);
    // Refused as a usage error, before the config or Redis is read.
    expect(badRate.stderr).toMatch(/option '--sample-rate <r>' argument '2' is invalid\. must be a number from 0 to 1/);
    expect(badRate.code).toBe(2);
    const noGroup = await tandem(['rollout', 'group', 'nobody', '--delete', '-c', config]);
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('group "nobody" does not exist');
    expect((await tandem(['rollout', 'set', 'product', '--sample-rate', '0.5', '-c', config, '--as', 'ada'])).code).toBe(0);
    expect((await tandem(['rollout', 'set', 'product', '--sample-rate', '0.5', '-c', config, '--as', 'ada'])).code).toBe(0);
    expect((await tandem(['rollout', 'set', 'product', '--phase', 'shadow', '-c', config, '--as', 'ada'])).code).toBe(0);
    const audit = JSON.parse((await tandem(['rollout', 'audit', '--json', '-c', config])).stdout) as {
      action: string;
      previous: unknown;
      next: unknown;
    }[];
    expect(audit).toEqual([expect.objectContaining({ action: 'route.sampleRate', previous: 1, next: 0.5 })]);
  });
});
