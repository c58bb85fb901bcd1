import { join, resolve } from 'node:path';
import { killAll, spawnChild, tempDir } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * The exit code of `tandem serve --processes` when its start fails does not depend on which
 * process exits first. The primary (`servePrimary`, from dist/) runs with stand-in serving
 * processes whose start failure and its timing the test chooses: each joins, then exits with
 * its code either at once or only once the primary asks it to stop.
 *
 * Found on a loaded machine: both processes failed to listen (exit 2); the primary, handling
 * the first exit, sent its stop request to the second, which had exited too but whose channel
 * it had not read the end of yet; the write failed (EPIPE), an 'error' event on the worker
 * that no one handled ended the primary with 1 instead of 2.
 */

jest.setTimeout(60_000);

const DIST = resolve(__dirname, '../../dist/src');

/**
 * The primary and, re-run by node:cluster, each stand-in process. `PLAN` is, per process in fork
 * order, `code@now` (exit once every process has joined, the harness's 'go') or `code@stop`
 * (exit when the primary asks it to stop); the second of two 'now' exits 300 ms after the first.
 * `HOLD_MS`: the primary's loop is held that long before it handles the first exit (as a loaded
 * machine may), so the second process is gone and its channel's end not read yet.
 */
const HARNESS = `
const cluster = require('node:cluster');
const plan = process.env.PLAN.split(',').map((p) => p.split('@'));
if (cluster.isPrimary) {
  const { servePrimary } = require(${JSON.stringify(join(DIST, 'cli/serve-processes.js'))});
  const { createConfig } = require(${JSON.stringify(join(DIST, 'config'))});
  const { createLogger } = require(${JSON.stringify(join(DIST, 'log'))});
  cluster.setupPrimary({ exec: __filename });
  // Before servePrimary's own listener: the first exit is handled by it only after the hold.
  cluster.once('exit', () => {
    const until = Date.now() + Number(process.env.HOLD_MS || 0);
    while (Date.now() < until);
  });
  let joined = 0;
  cluster.on('message', (w, m) => {
    if (!m || m.tandem !== 'joined' || ++joined < plan.length) return;
    for (const other of Object.values(cluster.workers)) other.send({ go: true });
  });
  const config = createConfig({
    legacy: { url: 'http://127.0.0.1:1' },
    candidate: { url: 'http://127.0.0.1:2' },
    redis: { url: process.env.TEST_REDIS_URL, prefix: process.env.PREFIX },
    report: { token: 'start-exit-token-0123456789abcdef' },
    routes: [],
  });
  servePrimary(config, { processes: plan.length, log: createLogger('info', 'tandem') });
} else {
  const [code, when] = plan[cluster.worker.id - 1];
  const exit = () => process.exit(Number(code));
  process.on('message', (m) => {
    if (m && m.go && when === 'now') setTimeout(exit, (cluster.worker.id - 1) * 300);
    if (m && m.tandem === 'stop' && when === 'stop') exit();
  });
  process.send({ tandem: 'joined' });
}
`;

describe('tandem serve --processes: the exit code of a failed start', () => {
  const dir = tempDir('start-exit', { 'harness.js': HARNESS });
  afterAll(async () => {
    await killAll();
    dir.remove();
  });

  const run = async (plan: string, holdMs?: number) => {
    const env = { PLAN: plan, PREFIX: uniquePrefix('startexit'), TEST_REDIS_URL, ...(holdMs ? { HOLD_MS: String(holdMs) } : {}) };
    const primary = spawnChild(process.execPath, [join(dir.path, 'harness.js')], env);
    const exit = await primary.exited;
    return { exit, output: primary.output() };
  };

  it.each([
    ['the listener failure (2) first, another reason (1) after', '2@now,1@stop'],
    ['another reason (1) first, the listener failure (2) after', '1@now,2@stop'],
  ])('is the highest code, whichever process exits first: %s', async (_name, plan) => {
    const r = await run(plan);
    expect(r).toEqual({ exit: { code: 2, signal: null }, output: expect.stringContaining('a serving process exited during the start') });
  });

  it('is 1 when no process failed with more', async () => {
    expect((await run('1@now,0@stop')).exit).toEqual({ code: 1, signal: null });
  });

  it("is the processes' code when both exited before the primary read either exit (no EPIPE crash)", async () => {
    const r = await run('2@now,2@now', 1500);
    expect(r.output).not.toContain('EPIPE');
    expect(r).toEqual({ exit: { code: 2, signal: null }, output: expect.stringContaining('a serving process exited during the start') });
  });
});
