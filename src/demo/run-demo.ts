import { randomBytes } from 'node:crypto';
import { ListenError, startServer, type TandemServer } from '../ingress';
import { createLogger } from '../log';
import { describeRedisTarget } from '../store';
import { formatRate, matchFigures, routeSummaries } from '../report';
import type { TandemOptions } from '../config';
import { startSampleCandidate, startSampleLegacy } from './sample-backends';
import { driveSampleTraffic } from './sample-traffic';

/** The demo's routes (also what a dry run of the demo's traffic uses). */
export const DEMO_ROUTES: NonNullable<TandemOptions['routes']> = [
  { name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' },
  { name: 'order-create', match: 'POST /api/v1/orders' },
];

/** The demo's compare rules. */
export const DEMO_COMPARE: TandemOptions['compare'] = { ignore: ['updatedAt'] };

export interface DemoOptions {
  port: number;
  requests: number;
  /** Print the summary and stop, instead of serving until Ctrl-C. */
  once: boolean;
  out?: (line: string) => void;
}

/**
 * The demo: sample legacy and candidate APIs, Tandem in front with the embedded
 * Redis (or REDIS_URL), sample traffic, then a summary and the report URL.
 *
 * @example
 * const demo = await runDemo({ port: 8080, requests: 200, once: true });
 */
export async function runDemo(o: DemoOptions): Promise<{ server: TandemServer; stop(): Promise<void> }> {
  const out = o.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const [legacy, candidate] = await Promise.all([startSampleLegacy(), startSampleCandidate()]);
  const options: TandemOptions = {
    listen: { port: o.port, host: '127.0.0.1' },
    legacy: { url: legacy.url },
    candidate: { url: candidate.url, timeoutMs: 2000 },
    redis: { prefix: `tandem-demo-${randomBytes(3).toString('hex')}`, dataDir: '.tandem/demo-redis' },
    // No report.token: createConfig takes TANDEM_REPORT_TOKEN, else generates one (printed below).
    log: { level: 'warn' },
    compare: DEMO_COMPARE,
    routes: DEMO_ROUTES,
    // The sample traffic names its customer in x-customer-id: identify it, so the report's Customers page has customers.
    customer: { from: 'header', name: 'x-customer-id' },
  };
  // Only errors, one readable line each: the demo's output is its summary, not log lines.
  const log = createLogger('error', 'tandem', { pretty: true, destination: process.stderr });
  // A failed start gives back what it took (the embedded Redis and its data-folder lock), so the retry can take them.
  const server = await startServer(options, { log })
    .catch(async (e: unknown) => {
      if (!(e instanceof ListenError && e.sysCode === 'EADDRINUSE')) throw e;
      out(`port ${o.port} (or the report's or ops' next to it) is in use; picking free ones`);
      return startServer({ ...options, listen: { port: 0, host: '127.0.0.1' } }, { log });
    })
    .catch(async (e: unknown) => {
      await Promise.all([legacy.close(), candidate.close()]);
      throw e;
    });
  const stop = async () => {
    await server.close();
    await Promise.all([legacy.close(), candidate.close()]);
  };
  try {
    await server.middleware.ready;
    table(out, [
      ['legacy', legacy.url, '(GET /api/v1/products/:id)'],
      ['candidate', candidate.url, '(GET /v2/products/:id, translated by "products-v2")'],
      ['tandem', server.url, `(the proxy)   redis ${describeRedisTarget(server.middleware.runtime.redisTarget()!)}`],
    ]);
    const sent = await driveSampleTraffic(server.url, o.requests);
    out(
      `sent ${sent.total} requests (${sent.failed} failed at the client); ${sent.unrouted} of them, GET /api/v1/products, match no route: legacy answers them and no row below counts them`,
    );
    await waitForComparisons(server, 20_000);
    await printSummary(server, out, o.once);
  } catch (e) {
    await stop();
    throw e;
  }
  return { server, stop };
}

async function waitForComparisons(server: TandemServer, timeoutMs: number): Promise<void> {
  const rt = server.middleware.runtime;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await rt.counters.flush();
    const rows = await routeSummaries(rt.store(), rt.config.routes);
    // every exchange that reached the shadow path (sent, or its request translator failed) ends compared
    const pending = rows.some((r) => (r.counters.shadowed ?? 0) + (r.counters.untranslated ?? 0) > (r.counters.compared ?? 0));
    if (!pending && rt.shadow.active === 0 && rt.producer.buffered === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function printSummary(server: TandemServer, out: (l: string) => void, once: boolean): Promise<void> {
  const rt = server.middleware.runtime;
  const rows = await routeSummaries(rt.store(), rt.config.routes);
  out('');
  out('route          seen  shadowed  compared  match  mismatch  errors  match rate');
  for (const r of rows) {
    const c = r.counters;
    const { errors } = matchFigures(c);
    const rate = formatRate(r.matchRate);
    out(
      `${r.name.padEnd(14)} ${pad(c.seen)} ${pad(c.shadowed, 9)} ${pad(c.compared, 9)} ${pad(c.match, 6)} ${pad(c.mismatch, 9)} ${pad(errors, 7)}  ${rate}`,
    );
    for (const s of (await rt.store().signatures(r.name)).slice(0, 5)) out(`    ${s.count} x [${s.risk}] ${s.signature}`);
  }
  out('');
  // With --once the server stops right after this: a URL and token for it would lead nowhere.
  if (once) return out('run `npm run demo` without --once to browse these results in the web report');
  out(`report:   ${server.reportUrl}${rt.config.report.path}/   (its own origin, apart from the proxy)`);
  out(`token:    ${rt.config.report.token}`);
  out(`API:      curl -H 'Authorization: Bearer ${rt.config.report.token}' ${server.reportUrl}${rt.config.report.path}/api/routes`);
  out(`health:   ${server.opsUrl}${rt.config.health.readyPath}   metrics: ${server.opsUrl}${rt.config.metrics.path}`);
}

const pad = (n: number | undefined, w = 5) => String(n ?? 0).padStart(w);

/** Rows printed as columns: each cell but the last padded to its column's widest, two spaces apart. */
function table(out: (l: string) => void, rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) out(r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  '));
}
