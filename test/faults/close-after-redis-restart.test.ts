import { exitWithin, killAll, spawnChild, startRedisProcess, type RedisProcess } from '../support/processes';

/**
 * An application embedding Tandem (startServer, as express middleware would) with its
 * in-process worker closes it after its Redis went away: its process must then exit by
 * itself. BullMQ's graceful close waits for an ioredis `end` that a connection parked in
 * `reconnecting` never emits, and its lock-renewal timer then ran for ever (seen: jest
 * never exited after a suite restarted its private redis-server).
 *
 * The embedding application is a child process (the library as built in dist/), so the
 * test asks the one thing that matters: does it exit once Tandem is closed.
 */
const APP = `
const { startServer } = require('./dist/src');
(async () => {
  const server = await startServer({
    listen: { port: 0, host: '127.0.0.1' },
    report: { token: 'close-after-restart-token-0123' },
    log: { level: 'silent' },
    legacy: { url: 'http://127.0.0.1:9' },
    candidate: { url: 'http://127.0.0.1:9' },
    redis: { url: process.env.APP_REDIS_URL, prefix: 'close-after-restart' },
    routes: [{ name: 'product', match: 'GET /products/:id' }],
  });
  await server.middleware.ready;
  process.once('SIGUSR2', () =>
    server.close().then(() => process.stdout.write('closed\\n'), (e) => process.stdout.write('close failed: ' + e.message + '\\n')),
  );
  process.stdout.write('started\\n');
})();
`;

describe('fault: an embedding application closes Tandem after its Redis went away', () => {
  let redis: RedisProcess;

  beforeEach(async () => {
    redis = await startRedisProcess();
  });
  afterEach(async () => {
    await killAll();
    await redis?.remove();
  });

  const startApp = async () => {
    const app = spawnChild(process.execPath, ['-e', APP], { APP_REDIS_URL: redis.url });
    await app.waitForOutput(/started/, 20_000);
    // The worker is up and waiting for jobs on its blocking connection.
    await new Promise((r) => setTimeout(r, 500));
    return app;
  };

  // The bound is generous: a closed worker's last timers (a blocking wait's watchdog,
  // ioredis' disconnect) end within seconds; before the fix the process never exited.
  const EXIT_WITHIN_MS = 25_000;

  it('closes just after Redis restarted, and the process exits by itself', async () => {
    const app = await startApp();
    await redis.stop();
    // Down long enough for ioredis to space its retries (up to a second): the restart
    // finds the worker's connections waiting to retry, not yet reconnected.
    await new Promise((r) => setTimeout(r, 3000));
    await redis.start();
    app.kill('SIGUSR2');
    await app.waitForOutput(/closed/, 40_000);
    expect(app.output()).not.toMatch(/close failed/);
    expect(await exitWithin(app, EXIT_WITHIN_MS)).toBe(0);
  }, 90_000);

  it('closes while Redis is down, and the process exits by itself (also once Redis is back)', async () => {
    const app = await startApp();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    app.kill('SIGUSR2');
    await app.waitForOutput(/closed/, 40_000);
    // Nothing of the worker reconnects behind the application's back.
    await redis.start();
    expect(await exitWithin(app, EXIT_WITHIN_MS)).toBe(0);
  }, 90_000);
});
