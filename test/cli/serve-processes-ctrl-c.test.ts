import http from 'node:http';
import net from 'node:net';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, spawnChild, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { deletePrefix, keysUnder, openTestRedis, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * A terminal's Ctrl-C on `tandem serve --processes 2` sends SIGINT to every process of the
 * group: each serving process hears it beside its primary's stop request. Both stand for one
 * Ctrl-C, so every process still stops gracefully (in-flight shadows finish, counters flush):
 * no count is lost, whichever of the two a process hears first.
 */

jest.setTimeout(120_000);

const REQUESTS = 30;

function get(url: string): Promise<number> {
  return new Promise((done, fail) => {
    http.get(url, { agent: false }, (res) => (res.resume(), res.on('end', () => done(res.statusCode ?? 0)))).on('error', fail);
  });
}

describe('Ctrl-C on tandem serve --processes 2', () => {
  const dir = tempDir('ctrl-c');
  const prefixes: string[] = [];
  let legacy: TestBackend;
  let candidate: TestBackend;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { path: req.url } }));
    // Slow: the shadows are still in flight when the processes are asked to stop.
    candidate = await startBackend((req) => ({ body: { path: req.url }, delayMs: 1500 }));
  });
  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    for (const p of prefixes) await deletePrefix(p);
    dir.remove();
  });

  /** Serve in a process group of its own, send REQUESTS, run `signal`, and return the exit and the stored counters. */
  async function serveThen(signal: (serve: Child, pids: number[]) => Promise<void>) {
    const prefix = uniquePrefix('ctrlc');
    prefixes.push(prefix);
    const config = writeConfig(dir.path, {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { url: TEST_REDIS_URL, prefix },
      report: { token: 'ctrl-c-token-0123456789abcdef' },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    const serve = spawnChild(
      process.execPath,
      ['bin/tandem.js', 'serve', '-c', config, '-p', '0', '--processes', '2'],
      { TANDEM_LOG_FORMAT: 'json' },
      { detached: true },
    );
    const out = await serve.waitForOutput(/"msg":"tandem is serving"/, 60_000);
    const line = JSON.parse(out.split('\n').find((l) => l.includes('"msg":"tandem is serving"'))!) as { url: string; pids: number[] };
    const statuses = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => get(`${line.url}/p/${i}`)));
    expect(statuses).toEqual(Array(REQUESTS).fill(200));
    await signal(serve, line.pids);
    const exited = await serve.exited;
    const key = (await keysUnder(prefix)).find((k) => k.endsWith(':route:product:counters'));
    const redis = openTestRedis();
    try {
      const counters = key ? await redis.hgetall(key) : {};
      // What the stopping workers left queued is compared by the next worker (not lost): run one until the queue is done.
      if (exited.code === 0 && key && Number(counters.compared ?? 0) < Number(counters.seen ?? 0)) {
        const worker = await startWorkerProcess(config);
        for (let until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200)))
          if ((await redis.hget(key, 'compared')) === counters.seen) break;
        worker.kill('SIGKILL');
        await worker.exited;
        counters.compared = (await redis.hget(key, 'compared')) ?? '0';
      }
      return { exited, output: serve.output(), counters };
    } finally {
      await redis.quit();
    }
  }

  const expectNothingLost = (r: Awaited<ReturnType<typeof serveThen>>) => {
    expect(r.output).not.toContain('exiting now, without finishing the shutdown');
    expect(r.exited).toEqual({ code: 0, signal: null });
    // seen and shadowed are flushed by the stopping processes; compared, by them or (queued) by the next worker.
    expect(r.counters).toMatchObject({ seen: String(REQUESTS), shadowed: String(REQUESTS), compared: String(REQUESTS) });
  };

  it('SIGINT to the whole group (what a terminal sends) stops every process gracefully', async () => {
    const r = await serveThen(async (serve) => void process.kill(-serve.pid, 'SIGINT'));
    expectNothingLost(r);
  });

  it("a process that hears its primary's stop request before the terminal's SIGINT still finishes", async () => {
    const r = await serveThen(async (serve, pids) => {
      process.kill(serve.pid, 'SIGINT');
      await serve.waitForOutput(/asked to stop by the primary[^]*asked to stop by the primary/, 20_000);
      for (const pid of pids) process.kill(pid, 'SIGINT');
    });
    expect(r.output).toContain('SIGINT: already stopping');
    expectNothingLost(r);
  });

  it('processes still starting (Redis not answering yet) also take the Ctrl-C and the stop as one', async () => {
    // A "Redis" that accepts connections and never answers: the processes stay between handling signals and serving.
    const silent = net.createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
    try {
      const config = writeConfig(dir.path, {
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { url: `redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, prefix: uniquePrefix('ctrlc') },
        report: { token: 'ctrl-c-token-0123456789abcdef' },
        routes: [],
      });
      const serve = spawnChild(
        process.execPath,
        ['bin/tandem.js', 'serve', '-c', config, '-p', '0', '--processes', '2'],
        { TANDEM_LOG_FORMAT: 'json', TANDEM_LOG_LEVEL: 'debug' },
        { detached: true },
      );
      // Both processes have loaded and handle signals (a fixed wait failed on a loaded machine: one still loading died of SIGINT).
      await serve.waitForOutput(/"msg":"a serving process joined"[^]*"msg":"a serving process joined"/, 60_000);
      process.kill(-serve.pid, 'SIGINT');
      expect(await serve.exited).toEqual({ code: 0, signal: null });
      const out = serve.output();
      expect(out).not.toContain('exiting now, without finishing the shutdown');
      // The primary and both processes each began a graceful stop (a process by whichever of the two it heard first).
      expect(out.match(/(SIGINT|asked to stop by the primary \(tandem serve --processes\)): stopping/g)).toHaveLength(3);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a process that does not finish its shutdown (a second Ctrl-C) makes the primary exit 1, not 0', async () => {
    const r = await serveThen(async (serve, pids) => {
      process.kill(serve.pid, 'SIGINT');
      await serve.waitForOutput(/asked to stop by the primary[^]*asked to stop by the primary/, 20_000);
      for (const pid of pids) process.kill(pid, 'SIGINT');
      await serve.waitForOutput(/already stopping[^]*already stopping/, 20_000);
      process.kill(pids[0], 'SIGINT'); // the second: exits at once
    });
    expect(r.output).toContain('SIGINT again: exiting now, without finishing the shutdown');
    expect(r.output).toMatch(/stop failed: serving processes did not finish their shutdown \(pid \d+ exited 1\)/);
    expect(r.exited).toEqual({ code: 1, signal: null });
  });
});
