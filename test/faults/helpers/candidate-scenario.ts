import net from 'node:net';
import type { TandemOptions } from '../../../src/config';
import { startBackend, type TestBackend } from '../../support/backends';
import { startTestTandem, type TestTandem } from '../../support/tandem';
import { startLoad, waitUntil, type LoadResult } from './load';

/**
 * What legacy answers for product `i`: the exact bytes every client must get.
 *
 * @example
 * legacyBody(3); // '{"id":3,"name":"Product 3","price":13}'
 */
export const legacyBody = (i: number) => JSON.stringify({ id: i, name: `Product ${i}`, price: 10 + (i % 7) });

/**
 * A legacy backend serving `legacyBody` on `/products/:id`.
 *
 * @example
 * const legacy = await startLegacy();
 */
export function startLegacy(): Promise<TestBackend> {
  return startBackend((r) => {
    const m = /^\/products\/(\d+)/.exec(r.url);
    return m ? { raw: legacyBody(Number(m[1])) } : null;
  });
}

/**
 * The outcome of sending traffic through Tandem to a faulty candidate.
 *
 * @example
 * const { client, counters }: FaultRun = await runTraffic(t, 10, 2);
 */
export interface FaultRun {
  client: LoadResult;
  counters: Record<string, number>;
}

/**
 * Start Tandem (in this process, shared Redis, own prefix) in front of `legacyUrl` and
 * `candidateUrl`. The candidate timeout defaults to 5 s, so that a loaded machine never turns a
 * slow answer into a timeout; a test about timeouts sets its own.
 *
 * @example
 * const t = await tandemFor(legacy.url, 'http://127.0.0.1:1', { candidate: { timeoutMs: 300 } });
 */
export function tandemFor(legacyUrl: string, candidateUrl: string, extra: Partial<TandemOptions> = {}): Promise<TestTandem> {
  return startTestTandem({
    ...extra,
    legacy: { url: legacyUrl, ...extra.legacy },
    candidate: { timeoutMs: 5000, ...extra.candidate, url: candidateUrl },
    worker: { concurrency: 4, lockDurationMs: 2000, stalledIntervalMs: 1000, ...extra.worker },
    routes: extra.routes ?? [{ name: 'product', match: 'GET /products/:id' }],
  });
}

/**
 * Send `total` product requests through `t` and wait until every one is accounted for
 * (compared or dropped with a reason). Each client answer must be legacy's exact bytes.
 *
 * @example
 * const run = await runTraffic(t, 50, 5);
 * expect(run.client.failed).toBe(0);
 */
export async function runTraffic(t: TestTandem, total: number, concurrency: number, route = 'product'): Promise<FaultRun> {
  const load = startLoad(
    t.url,
    (i) => `/products/${i}`,
    concurrency,
    (r, i) => r.status === 200 && r.body === legacyBody(i),
    { total },
  );
  const client = await load.done;
  const counters = await waitUntil(
    () => t.counters(route),
    (c) => c.seen === total && (c.compared ?? 0) + droppedOf(c) + skippedOf(c) === total,
    20_000,
  );
  return { client, counters };
}

const sumPrefix = (c: Record<string, number>, p: string) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith(p) ? n + v : n), 0);
/**
 * Sum of `dropped:*` counters.
 *
 * @example
 * droppedOf({ 'dropped:candidate_busy': 4 }); // 4
 */
export const droppedOf = (c: Record<string, number>) => sumPrefix(c, 'dropped:');
/**
 * Sum of `skipped:*` counters.
 *
 * @example
 * skippedOf({ 'skipped:loop': 1 }); // 1
 */
export const skippedOf = (c: Record<string, number>) => sumPrefix(c, 'skipped:');

/**
 * A raw TCP server: `onConnection` decides what a socket gets. Tracks the peak of open sockets.
 *
 * @example
 * const s: RawServer = await startRawServer((socket) => socket.end('garbage'));
 */
export interface RawServer {
  url: string;
  readonly peakConnections: number;
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A TCP server on 127.0.0.1 that does whatever `onConnection` does with each socket
 * (answer garbage, hang, reset), counting open sockets.
 *
 * @example
 * const hang = await startRawServer(() => undefined); // accepts and never answers
 */
export async function startRawServer(onConnection: (socket: net.Socket) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let peak = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    peak = Math.max(peak, sockets.size);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(s);
    s.resume(); // keep reading, so a peer's hang-up is seen
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get peakConnections() {
      return peak;
    },
    get connections() {
      return sockets.size;
    },
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}
