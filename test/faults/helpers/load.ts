import http from 'node:http';

/**
 * What a load run saw from the client side.
 *
 * @example
 * const r: LoadResult = await startLoad(url, (i) => `/p/${i}`, 2, (x) => x.status === 200, { total: 10 }).done;
 */
export interface LoadResult {
  sent: number;
  /** Responses with the expected status and body. */
  ok: number;
  /** Connection errors, wrong statuses or wrong bodies. */
  failed: number;
  statuses: Record<number, number>;
  errors: string[];
  maxLatencyMs: number;
  p99LatencyMs: number;
}

/**
 * One GET over a keep-alive agent: status and body text.
 *
 * @example
 * const { status, body } = await get('http://127.0.0.1:8080/x', new http.Agent({ keepAlive: true }));
 */
export function get(url: string, agent: http.Agent, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

/** Loads started and not yet stopped: `stopRunningLoads()` ends them (test/after-env.ts, after every suite). */
const running = new Set<() => Promise<LoadResult>>();

/**
 * Stops every load still running: a test that throws before its `load.stop()` would leave its
 * loops sending forever, and jest would never exit (it did in CI: a failed wait in
 * test/cluster/frozen-shard). Resolves once their loops ended.
 *
 * @example
 * afterAll(stopRunningLoads);
 */
export async function stopRunningLoads(): Promise<number> {
  const stops = [...running];
  await Promise.all(stops.map((stop) => stop()));
  return stops.length;
}

/**
 * Sustained client traffic: `concurrency` loops sending GET `base + path(i)` until
 * `stop()` (or `total` requests), checking each answer with `expect`.
 *
 * @example
 * const load = startLoad(url, (i) => `/products/${i}`, 4, (r, i) => r.status === 200);
 * await sleep(1000); const result = await load.stop();
 */
export function startLoad(
  base: string,
  path: (i: number) => string,
  concurrency: number,
  expect: (r: { status: number; body: string }, i: number) => boolean,
  o: { total?: number; pauseMs?: number } = {},
): { stop(): Promise<LoadResult>; done: Promise<LoadResult>; readonly sent: number } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const r: LoadResult = { sent: 0, ok: 0, failed: 0, statuses: {}, errors: [], maxLatencyMs: 0, p99LatencyMs: 0 };
  let stopped = false;
  const loop = async () => {
    while (!stopped && (o.total === undefined || r.sent < o.total)) {
      const i = r.sent++;
      const started = performance.now();
      try {
        const res = await get(`${base}${path(i)}`, agent);
        r.statuses[res.status] = (r.statuses[res.status] ?? 0) + 1;
        if (expect(res, i)) r.ok++;
        else {
          r.failed++;
          if (r.errors.length < 20) r.errors.push(`#${i}: ${res.status} ${res.body.slice(0, 100)}`);
        }
      } catch (e) {
        r.failed++;
        if (r.errors.length < 20) r.errors.push(`#${i}: ${(e as Error).message}`);
      }
      latencies.push(performance.now() - started);
      if (o.pauseMs) await new Promise((w) => setTimeout(w, o.pauseMs));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
    running.delete(stop);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    r.maxLatencyMs = Math.round(latencies[latencies.length - 1] ?? 0);
    r.p99LatencyMs = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0);
    return r;
  });
  const stop = () => {
    stopped = true;
    return done;
  };
  running.add(stop);
  return {
    done,
    get sent() {
      return r.sent;
    },
    stop,
  };
}

/**
 * Resolve after `ms`.
 *
 * @example
 * await sleep(100);
 */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Poll `check` until it returns a truthy value; fail after `timeoutMs` with the last value.
 *
 * @example
 * const c = await waitUntil(() => readCounters(...), (c) => c.compared === 10);
 */
export async function waitUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await sleep(everyMs);
  }
}
