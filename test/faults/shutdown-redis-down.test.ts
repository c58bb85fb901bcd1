import { startBackend, type TestBackend } from '../support/backends';
import {
  exitWithin,
  freePort,
  killAll,
  spawnChild,
  startTandemProcess,
  startWorkerProcess,
  tempDir,
  writeConfig,
} from '../support/processes';
import { request } from '../support/tandem';

describe('fault: shutdown while Redis is unreachable', () => {
  const dir = tempDir('shutdown');
  let legacy: TestBackend;
  let config: string;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { url: r.url } }));
    // Nothing listens on this port: every Redis connection keeps failing.
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    config = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      candidate: { url: legacy.url, timeoutMs: 1000 },
      redis: { url: redisUrl, prefix: 'shutdown' },
      report: { token: 'shutdown-token-0123456789' },
      worker: { lockDurationMs: 2000 },
      routes: [{ name: 'p', match: 'GET /p/:id' }],
    });
  });
  afterAll(async () => {
    await killAll();
    await legacy?.close();
    dir.remove();
  });

  it('`tandem serve` (in-process worker) exits after SIGTERM, saying what it could not flush', async () => {
    const { child, url } = await startTandemProcess(config);
    for (let i = 0; i < 5; i++) expect((await request(`${url}/p/${i}`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitWithin(child, 45_000)).toBe(0);
    expect(child.output()).toMatch(/"lost":5\b.*dropped:closed/);
  }, 60_000);

  it('`tandem worker` exits after SIGTERM', async () => {
    const worker = await startWorkerProcess(config);
    await new Promise((r) => setTimeout(r, 500));
    worker.kill('SIGTERM');
    expect(await exitWithin(worker, 30_000)).toBe(0);
  }, 45_000);

  it('a second signal forces the exit at once', async () => {
    const { child } = await startTandemProcess(config);
    const worker = spawnChild(process.execPath, ['bin/tandem.js', 'worker', '--config', config]);
    await worker.waitForOutput(/tandem worker started/);
    for (const c of [child, worker]) {
      c.kill('SIGTERM');
      // The second once the first is being handled (a fixed 300 ms could see both pending at once on a loaded
      // machine: one signal). Exit 1 tells the forced exit from a graceful stop (0) whatever the time it takes.
      await c.waitForOutput(/SIGTERM: stopping/, 30_000);
      c.kill('SIGTERM');
    }
    expect(await exitWithin(child, 20_000)).toBe(1);
    expect(await exitWithin(worker, 20_000)).toBe(1);
    expect(child.output()).toMatch(/SIGTERM again: exiting now/);
  }, 120_000);
});
