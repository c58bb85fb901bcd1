import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { freePort, killAll, spawnChild, tempDir, writeConfig, type Child } from '../support/processes';

/**
 * The README's standalone setup from a clean clone, with real processes: no redis.url and
 * no REDIS_URL, so `tandem serve` starts the embedded Redis, and every other command joins
 * it; the listeners' errors name the listener and the setting to change; `tandem worker`'s
 * metrics stay on loopback by default; `tandem config check` takes `-c` like every command.
 */

jest.setTimeout(180_000);

/** No Redis in the environment: the embedded one is the only Redis there is. */
const NO_REDIS_ENV = { REDIS_URL: '', REDIS_CLUSTER_NODES: '' };

function tandem(args: string[]): Child {
  return spawnChild(process.execPath, ['bin/tandem.js', ...args], NO_REDIS_ENV);
}

async function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = tandem(args);
  const { code } = await child.exited;
  return { code, out: child.output() };
}

/** Hold 127.0.0.1:`port` (0: a free one) until `close()`. */
async function hold(port = 0): Promise<Server> {
  const s = createServer();
  await new Promise<void>((done, fail) => (s.once('error', fail), s.listen(port, '127.0.0.1', () => done())));
  return s;
}
/** `tandem worker` on the test Redis (its config names none). */
const workerProcess = (args: string[]) => spawnChild(process.execPath, ['bin/tandem.js', 'worker', ...args], { REDIS_URL: TEST_REDIS_URL });
const portOf = (s: Server) => (s.address() as { port: number }).port;
const release = (s: Server) => new Promise((done) => s.close(done));

describe('the standalone setup (embedded Redis, no redis.url)', () => {
  const dir = tempDir('standalone');
  const prefix = uniquePrefix('standalone');
  let config: string;

  beforeAll(() => {
    config = writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      // Absolute, so serve and the other commands name the same folder whatever their working folder.
      redis: { prefix, dataDir: join(dir.path, 'redis') },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    writeFileSync(join(dir.path, 'requests.ndjson'), '{"method":"GET","path":"/unrouted"}\n');
  });

  afterAll(async () => {
    await killAll();
    dir.remove();
  });

  it('says to start `tandem serve` first when no embedded Redis runs, then every command joins the one serve started', async () => {
    const before = await run(['rollout', 'status', '-c', config]);
    expect(before.code).toBe(2);
    expect(before.out).toContain(`Start \`tandem serve -c ${config}\` first`);
    expect(before.out).toMatch(/redis\.url .*REDIS_URL/);

    const serve = tandem(['serve', '-c', config, '-p', '0']);
    const served = await serve.waitForOutput(/"msg":"tandem is serving"/, 30_000);
    const embedded = /REDIS_URL=(redis:\/\/127\.0\.0\.1:\d+)/.exec(served)?.[1];
    expect(embedded).toBeDefined();
    try {
      const rollout = await run(['rollout', 'status', '-c', config]);
      expect(rollout.out).not.toMatch(/needs the Redis/);
      expect(rollout.out).toMatch(/product/);
      expect(rollout.code).toBe(0);

      const rediff = await run(['rediff', '-c', config, '--route', 'product']);
      expect(rediff.out).toMatch(/route product: recomputed 0 stored exchanges/);
      expect(rediff.code).toBe(0);

      // It reached the stored exchanges (there are none), not a "needs the Redis" refusal.
      const suggest = await run(['suggest', '-c', config, '--route', 'product']);
      expect(suggest.out).not.toMatch(/needs the Redis/);
      expect(suggest.out).toMatch(/no exchange of route "product"/);

      const replay = await run(['replay', join(dir.path, 'requests.ndjson'), '-c', config, '--no-progress']);
      expect(replay.out).not.toMatch(/needs the Redis/);
      expect(replay.out).toMatch(/results are in the report/);
      expect(replay.code).toBe(0);

      const worker = tandem(['worker', '-c', config]);
      const started = await worker.waitForOutput(/"msg":"tandem worker started"/, 30_000);
      expect(started).toContain(`"redis":"${embedded}"`);
      worker.kill('SIGTERM');
      await worker.exited;
    } finally {
      serve.kill('SIGTERM');
      await serve.exited;
      await deletePrefix(prefix, embedded!).catch(() => undefined);
    }
    // Stopped with serve: the commands say so again, instead of talking to a stale port.
    const after = await run(['rollout', 'status', '-c', config]);
    expect(after.code).toBe(2);
    expect(after.out).toContain('first');
  });
});

describe('tandem serve names the listener whose port is taken', () => {
  const dir = tempDir('listeners');
  let config: string;
  beforeAll(() => {
    config = writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      redis: { prefix: uniquePrefix('listeners'), dataDir: join(dir.path, 'redis') },
      routes: [],
    });
  });
  afterAll(async () => {
    await killAll();
    dir.remove();
  });

  it('the report listener (proxy port + 1): says where its port came from and how to change it, exit 2', async () => {
    // A port P that is free while P + 1 is held.
    let held: Server | undefined;
    let proxyPort = 0;
    for (let i = 0; i < 20 && !held; i++) {
      const s = await hold();
      const p = portOf(s) - 1;
      const probe = await hold(p).catch(() => null);
      if (probe) {
        await release(probe);
        held = s;
        proxyPort = p;
      } else await release(s);
    }
    expect(held).toBeDefined();
    try {
      const { code, out } = await run(['serve', '-c', config, '-p', String(proxyPort)]);
      expect(out).not.toMatch(/listen EADDRINUSE/);
      expect(out).toContain(`the report listener's address 127.0.0.1:${proxyPort + 1}`);
      expect(out).toContain(`proxy port ${proxyPort} (-p ${proxyPort}) + 1`);
      expect(out).toMatch(/report\.listen\.port/);
      expect(out).toMatch(/ERR_TANDEM_LISTEN_FAILED/);
      expect(code).toBe(2);
    } finally {
      await release(held!);
    }
  });

  it('the proxy listener: names -p and listen.port, exit 2', async () => {
    const held = await hold();
    try {
      const { code, out } = await run(['serve', '-c', config, '-p', String(portOf(held))]);
      expect(out).toContain(`the proxy listener's address 0.0.0.0:${portOf(held)} (-p ${portOf(held)}) is already in use`);
      expect(out).toMatch(/listen\.port .* -p <port>/);
      expect(code).toBe(2);
    } finally {
      await release(held);
    }
  });
});

describe('tandem worker --metrics-port', () => {
  const dir = tempDir('worker-metrics');
  const prefix = uniquePrefix('worker-metrics');
  afterAll(async () => {
    await killAll();
    await deletePrefix(prefix);
    dir.remove();
  });

  it('listens on 127.0.0.1 by default (as ops.listen does) and logs the address it really listens on', async () => {
    const config = writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      redis: { prefix },
      routes: [],
    });
    const port = await freePort();
    const worker = workerProcess(['-c', config, '--metrics-port', String(port)]);
    const out = await worker.waitForOutput(/"msg":"tandem worker started"/, 30_000);
    expect(out).toContain(`"listening":"127.0.0.1:${port}"`);
    expect(out).toContain(`serving metrics and health on 127.0.0.1:${port}`);
    worker.kill('SIGTERM');
    await worker.exited;

    const wide = workerProcess(['-c', config, '--metrics-port', String(port), '--metrics-host', '0.0.0.0']);
    const wideOut = await wide.waitForOutput(/"msg":"tandem worker started"/, 30_000);
    expect(wideOut).toContain(`serving metrics and health on 0.0.0.0:${port}`);
    wide.kill('SIGTERM');
    await wide.exited;
  });
});

describe('tandem config check', () => {
  const dir = tempDir('config-check');
  afterAll(() => dir.remove());

  it('takes -c/--config like every other command, as well as the file as an argument', async () => {
    const config = writeConfig(dir.path, { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' }, routes: [] });
    for (const args of [['-c', config], ['--config', config], [config]]) {
      const { code, out } = await run(['config', 'check', ...args]);
      expect(out).toContain(`${config}: valid`);
      expect(code).toBe(0);
    }
    const both = await run(['config', 'check', config, '-c', join(dir.path, 'other.yaml')]);
    expect(both.out).toMatch(/two config files given/);
    expect(both.code).toBe(2);
  });
});
