import http from 'node:http';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, spawnChild, tempDir, writeConfig, type Child } from '../support/processes';
import { parseProm, sumOf, valueOf } from '../support/prom-text';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * `tandem serve --processes 2` with real processes, Redis and HTTP servers: both processes
 * answer clients, every request is shadowed and counted exactly once across them
 * (seen = compared + skipped + dropped, the candidate gets each request once), the
 * metrics endpoint adds up both processes, a killed process is replaced, SIGTERM stops all.
 */

jest.setTimeout(180_000);

const TOKEN = 'processes-token-0123456789abcdef';
const REQUESTS = 120;

/** GET on a connection of its own (no keep-alive), so the primary deals connections out to every process. */
function get(url: string, id: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = http.get(url, { agent: false, headers: { 'x-request-id': id } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
  });
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('tandem serve --processes 2', () => {
  const dir = tempDir('processes');
  const prefix = uniquePrefix('procs');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let serve: Child;
  let url: string;
  let reportUrl: string;
  let opsUrl: string;
  let pids: number[];

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { path: req.url, price: 10 } }));
    candidate = await startBackend((req) => ({ body: { path: req.url, price: req.url.endsWith('7') ? 11 : 10 } }));
    const config = writeConfig(dir.path, {
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { url: TEST_REDIS_URL, prefix },
      report: { token: TOKEN },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    // JSON lines at debug: each served request is logged with the pid of the process that served it.
    serve = spawnChild(process.execPath, ['bin/tandem.js', 'serve', '-c', config, '-p', '0', '--processes', '2'], {
      TANDEM_LOG_LEVEL: 'debug',
      TANDEM_LOG_FORMAT: 'json',
    });
    const out = await serve.waitForOutput(/"msg":"tandem is serving"/, 60_000);
    const line = JSON.parse(out.split('\n').find((l) => l.includes('"msg":"tandem is serving"'))!) as Record<string, unknown>;
    ({ url, reportUrl, opsUrl } = line as { url: string; reportUrl: string; opsUrl: string });
    pids = line.pids as number[];
  });

  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
    dir.remove();
  });

  const counters = async () => {
    const res = await fetch(`${reportUrl}/_tandem/api/routes`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { routes } = (await res.json()) as { routes: { name: string; counters: Record<string, number> }[] };
    return routes.find((r) => r.name === 'product')?.counters ?? {};
  };

  it('both processes answer, and every request is shadowed and counted exactly once', async () => {
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(serve.pid);
    for (let i = 0; i < REQUESTS; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => get(`${url}/p/${i + k}`, `procs-${i + k}`)));
      for (const [k, r] of batch.entries()) {
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body)).toEqual({ path: `/p/${i + k}`, price: 10 });
      }
    }
    // Which process served each request: its debug line carries its pid (logs are written asynchronously: wait for all).
    const servedBy = await waitFor(
      'request lines',
      async () => {
        const by: Record<number, number> = {};
        for (const l of serve.output().split('\n')) {
          if (!l.includes('"msg":"request served"')) continue;
          const { pid, route } = JSON.parse(l) as { pid: number; route: string };
          if (route === 'product') by[pid] = (by[pid] ?? 0) + 1;
        }
        return by;
      },
      (by) => Object.values(by).reduce((a, b) => a + b, 0) >= REQUESTS,
    );
    expect(Object.keys(servedBy).map(Number).sort()).toEqual([...pids].sort());
    expect(Object.values(servedBy).reduce((a, b) => a + b, 0)).toBe(REQUESTS);

    // `shadowed` is flushed with the ingress's counters (each second), `compared` by the worker as it records: wait for both.
    const c = await waitFor(
      'counters',
      counters,
      (x) => (x.compared ?? 0) >= REQUESTS && x.seen === REQUESTS && (x.shadowed ?? 0) >= REQUESTS,
    );
    await new Promise((r) => setTimeout(r, 1500)); // a second flush would show anything counted twice
    const settled = await counters();
    const sum = (p: string) =>
      Object.entries(settled)
        .filter(([k]) => k.startsWith(p))
        .reduce((n, [, v]) => n + v, 0);
    expect(settled).toEqual(c);
    expect(settled).toMatchObject({ seen: REQUESTS, shadowed: REQUESTS, compared: REQUESTS });
    expect(settled.compared + sum('skipped:') + sum('dropped:')).toBe(settled.seen);
    expect(settled.mismatch).toBe(12); // ids ending in 7: 7, 17, ..., 117
    const ids = candidate.seen.map((r) => r.headers['x-request-id']);
    expect(ids).toHaveLength(REQUESTS);
    expect(new Set(ids).size).toBe(REQUESTS);
  });

  it("the metrics endpoint adds up every process's figures", async () => {
    const samples = parseProm(await (await fetch(`${opsUrl}/metrics`)).text());
    expect(valueOf(samples, 'tandem_seen_total', { route: 'product' })).toBe(REQUESTS);
    expect(sumOf(samples, 'tandem_requests_total', { route: 'product' })).toBe(REQUESTS);
    expect(sumOf(samples, 'tandem_compared_total', { route: 'product' })).toBe(REQUESTS);
    // Read from the one Redis by each process: shown once, not added up.
    expect(valueOf(samples, 'tandem_results', { route: 'product', verdict: 'mismatches' })).toBe(12);
    expect(valueOf(samples, 'tandem_redis_up')).toBe(1);
  });

  it('the processes share one budget of failed report sign-ins per address (counted in Redis), not one each', async () => {
    // Each attempt on a connection of its own, so the primary deals them out to both processes.
    const signIn = (token: string) =>
      new Promise<{ status: number; retryAfter?: string }>((done, fail) => {
        const body = JSON.stringify({ token });
        const req = http.request(
          `${reportUrl}/_tandem/api/session`,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => done({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
          },
        );
        req.on('error', fail);
        req.end(body);
      });
    for (let i = 0; i < 10; i++) expect((await signIn(`wrong-${i}-0123456789abcdef`)).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const limited = await signIn(`wrong-x${i}-0123456789abcdef`);
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    }
    // Locked out on every process: the right token is refused too.
    expect((await signIn(TOKEN)).status).toBe(429);
  });

  it('a process that dies is replaced; SIGTERM stops every process and the primary exits 0', async () => {
    const [victim, other] = pids;
    process.kill(victim, 'SIGKILL');
    const out = await serve.waitForOutput(/"msg":"a serving process exited; starting another"/, 20_000);
    expect(out).toContain(`"pid":${victim}`);
    await waitFor(
      'the replacement',
      async () => (await get(`${url}/p/1000`, 'after-restart')).status,
      (s) => s === 200,
    );
    await waitFor(
      'a third process serving',
      async () =>
        serve
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"tandem process is serving"')).length,
      (n) => n >= 3,
    );
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const third = serve
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"tandem process is serving"'))
      .map((l) => (JSON.parse(l) as { pid: number }).pid)
      .find((p) => !pids.includes(p))!;
    expect(alive(third)).toBe(true);
    serve.kill('SIGTERM');
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    expect([alive(other), alive(third)]).toEqual([false, false]);
  });
});

describe('tandem serve --processes 2 that cannot start', () => {
  const dir = tempDir('processes-fail');
  const prefix = uniquePrefix('procsfail');
  afterAll(async () => {
    await killAll();
    await deletePrefix(prefix);
    dir.remove();
  });

  it('stops every process and exits 2 with the listener error when the port is taken', async () => {
    const held = http.createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as { port: number }).port;
    try {
      const config = writeConfig(dir.path, {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: TEST_REDIS_URL, prefix },
        routes: [],
      });
      const serve = spawnChild(process.execPath, ['bin/tandem.js', 'serve', '-c', config, '-p', String(port), '--processes', '2']);
      // With what the processes printed, so that a failure on a loaded machine says which process exited first, and why.
      expect({ exit: await serve.exited, output: serve.output() }).toEqual({
        exit: { code: 2, signal: null },
        output: expect.stringContaining('ERR_TANDEM_LISTEN_FAILED'),
      });
      expect(serve.output()).toContain('a serving process exited during the start; stopping the others');
      const pids = [...serve.output().matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]));
      for (const pid of new Set(pids)) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await new Promise((r) => held.close(r));
    }
  });
});
