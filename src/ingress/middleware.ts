import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createConfig, type TandemConfig, type TandemOptions } from '../config';
import { createRuntime, createUpstreamFor, type Runtime } from '../runtime';
import type { ExchangeDraft } from '../shadow';
import { headerNamesOf, newExchangeId, randomId } from '../records';
import { isSafeMethod, SHADOW_HEADER } from '../upstream';
import type { Logger } from '../log';
import { getState, newState, setState } from './exchange-state';
import { findRoute } from './find-route';
import { createLegacyProxy } from './legacy-proxy';
import { addForwarded } from './forwarded';
import type { CandidatePlan } from './candidate-plan';
import { createCandidateServer } from './serve-candidate';
import { decideRequest } from './rollout-decision';
import { createOpsRouter } from '../ops';
import { markRequestId, markRoute, observeServed, UNMATCHED } from './served-metrics';
import { requestIdOf, requestLogger } from '../log';
import { proxyFailed, underPath } from './direct-serving';
import { isWebSocketHandshake, relayPlainRequest } from './plain-upgrade';
import { awaitUpgradeAnswer } from './upgrade-answer';
import { toOriginForm } from './origin-form';
import { pathForLog } from '../redact';
import { hasDuplicateHost, refuseDuplicateHost, refuseDuplicateHostUpgrade } from './duplicate-host';
import { dropConnectionOptions } from './connection-options';
import { headerLinesMayBeCut, refuseCutHeaderLines, refuseCutHeaderLinesUpgrade } from './cut-header-lines';

const upgradesServed = new WeakSet<Server>();

/**
 * Route `server`'s upgrade requests (WebSocket handshakes, h2c offers) to Tandem's handler,
 * once per server however often it is called. `tandem serve` calls it when it listens; the
 * middleware on the first request it sees in a host app.
 *
 * @example
 * serveUpgradesOn(server, (req, socket, head) => middleware.upgrade(req, socket, head));
 */
export function serveUpgradesOn(server: Server | undefined, handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void {
  if (!server || upgradesServed.has(server)) return;
  upgradesServed.add(server);
  server.on('upgrade', handler);
}

/** The express middleware, with the runtime behind it. */
export interface TandemMiddleware extends Router {
  readonly runtime: Runtime;
  /** Resolves when Redis, the queue and the worker are up. */
  readonly ready: Promise<void>;
  /** Stop the runtime (flushes queued comparisons). */
  close(): Promise<void>;
  /**
   * Proxy a WebSocket upgrade to legacy; serve any other upgrade offer (h2c) as the plain request under it.
   * Never shadowed; counted as `seen` and `skipped:upgrade` on a matching route, and once in
   * `tandem_requests_total` with the status it ended with (a handshake: 101, legacy's refusal, or 502).
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Serve a request without express: operations endpoints (when on the proxy) and the
   * proxy. Returns false, untouched, for requests under the report path when the report
   * is mounted on the proxy (pass those to an express app that mounts this middleware). What `startServer` listens with: express's per-request
   * work stays off the primary path.
   */
  serveDirect(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * The report and its API under `report.path`, as an express app of its own (its `trust
   * proxy` is `report.trustProxy`); unhandled requests go to `next`. Serve it on a
   * listener of its own (`report.listen`, see `listenAside`): mounted on the proxy's port
   * (`report.listen: proxy`) it shares its origin with every page the proxied app serves.
   */
  readonly reportApp: express.Express;
  /** Liveness, readiness and metrics as a plain handler (true when it answered). */
  readonly ops: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Whether the report and the operations endpoints are mounted on the proxy's own listener. */
  readonly onProxy: { report: boolean; ops: boolean };
}

/**
 * Tandem as express middleware: every request is served by legacy, untouched;
 * requests matching a shadowed route are mirrored to the candidate after the client
 * has its response, and compared asynchronously. Mount it at the root, last.
 *
 * @example
 * const app = express();
 * app.use(tandem({ legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' },
 *   routes: [{ name: 'product', match: 'GET /products/:id' }] }));
 */
export function tandem(options: TandemOptions | TandemConfig, o: { worker?: boolean; log?: Logger } = {}): TandemMiddleware {
  const config = createConfig(options);
  const runtime = createRuntime(config, { worker: o.worker ?? config.worker.inProcess, log: o.log });
  // Without it the report is unreachable: whoever mounts the middleware needs the token as much as `tandem serve`'s user.
  if (config.report.tokenGenerated)
    runtime.log.warn(
      `no report.token configured (nor TANDEM_REPORT_TOKEN); generated one for this run: ${config.report.token} (report at ${config.report.path}/)`,
    );
  const { counters, shadow } = runtime;
  const cap = config.capture.maxBodyBytes;

  const proxy = createLegacyProxy(config, {
    onSkip: (req, reason) => counters.add(getState(req)!.route.name, `skipped:${reason}`),
    onRefused: (req, message) =>
      // The path only, without its `;name=value` parameters' values: the query or a parameter may carry a credential, and nothing secret is logged.
      requestLogger(runtime.log, { requestId: requestIdOf(req) }).error({ method: req.method, path: pathForLog(req.url ?? '') }, message),
    onError: (req, err) =>
      requestLogger(runtime.log, { requestId: getState(req)?.requestId ?? requestIdOf(req), route: getState(req)?.route.name }).warn(
        { err: err.message, code: err.code },
        'legacy did not answer',
      ),
    onExchangeComplete(req, res, proxyRes) {
      const s = getState(req)!;
      const draft: ExchangeDraft = {
        id: newExchangeId(s.at, s.route.name),
        route: s.route.name,
        customer: s.customer,
        at: s.at,
        requestId: s.requestId,
        params: s.params,
        // The request as legacy got it: the client's, plus x-forwarded-* and x-request-id (set by
        // the relay). The exchange is over: Node's own header map and lines are taken, not copied
        // (nothing writes to them any more, and every later stage copies before it changes one).
        request: {
          method: req.method ?? 'GET',
          path: s.path,
          query: s.query,
          rawQuery: s.rawQuery,
          headers: req.headers['x-request-id'] === s.requestId ? req.headers : { ...req.headers, 'x-request-id': s.requestId },
          headerNames: headerNamesOf(req.rawHeaders),
          headerLines: req.rawHeaders,
          body: s.requestBody.record(),
          // A chunked body's trailers (read with the body's end): kept only when there were some.
          ...(req.rawTrailers.length ? { trailerLines: req.rawTrailers } : {}),
        },
        legacy: {
          status: proxyRes.statusCode ?? 0,
          headers: proxyRes.headers,
          headerNames: headerNamesOf(proxyRes.rawHeaders),
          body: s.responseBody.record(),
          durationMs: performance.now() - s.started,
        },
      };
      shadow.dispatch(draft);
    },
  });

  // Serving from the candidate carries client traffic: both backends get the client-facing socket cap.
  const candidates = createCandidateServer({
    config,
    translators: runtime.translators,
    counters,
    rollout: runtime.rollout,
    producer: runtime.producer,
    metrics: runtime.metrics,
    log: runtime.log,
    candidate: createUpstreamFor(config, 'candidate', config.legacy.maxSockets),
    legacy: createUpstreamFor(config, 'legacy', config.legacy.maxSockets),
    translateRequest: runtime.comparer().translateRequest,
    translateResponse: runtime.comparer().translateResponse,
  });
  const ops = createOpsRouter(runtime);
  const reportPath = config.report.path;
  const onProxy = { report: config.report.listen === 'proxy', ops: config.ops.listen === 'proxy' };
  const reportApp = express();
  reportApp.disable('x-powered-by');
  reportApp.set('etag', false);
  reportApp.set('trust proxy', config.report.trustProxy);
  reportApp.use(reportPath, runtime.reportRouter());
  const router = express.Router() as TandemMiddleware;
  if (onProxy.ops) {
    router.use(function tandemOps(req: Request, res: Response, next: NextFunction) {
      if (!ops(req, res)) next();
    });
  }
  if (onProxy.report) {
    runtime.log.warn(
      { path: reportPath },
      'report.listen is "proxy": the report shares its origin with every page the proxied application serves; give it a listener of its own (report.listen: { host, port })',
    );
    router.use(reportApp);
  }
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => (router as TandemMiddleware).upgrade(req, socket, head);
  router.use(function tandemIngress(req: Request, res: Response, next: NextFunction) {
    // Inside a host app, upgrades on its server are Tandem's from the first request on (as `ws: true` did).
    serveUpgradesOn((req.socket as { server?: Server }).server, upgrade);
    ingress(req, res, next);
  });
  Object.assign(router, {
    reportApp,
    ops,
    onProxy,
    runtime,
    ready: runtime.ready,
    close: async () => {
      await runtime.close();
      proxy.close();
      candidates.close();
    },
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      // Two Host lines: 400 before anything else (see `hasDuplicateHost`).
      if (hasDuplicateHost(req.rawHeaders)) return refuseDuplicateHostUpgrade(socket);
      if (headerLinesMayBeCut(req)) return refuseCutHeaderLinesUpgrade(socket);
      // Passed through to legacy, never shadowed; counted on its route like any request it matches.
      toOriginForm(req);
      const found = routeOf(req, req.url ?? '/');
      if (found) {
        counters.add(found.route.name, 'seen');
        counters.add(found.route.name, 'skipped:upgrade');
      }
      // Any other offer (h2c: `curl --http2 http://...`) is served as the plain request under it, as legacy answers it.
      // Counted in tandem_requests_total like any request served (legacy's status), matched or not.
      if (!isWebSocketHandshake(req)) {
        const started = performance.now();
        return relayPlainRequest(req, socket, head, config.legacy.url, config.legacy.timeoutMs, (status) =>
          runtime.metrics.served(found?.route.name ?? UNMATCHED, 'legacy', status, (performance.now() - started) / 1000),
        );
      }
      // A WebSocket handshake is counted with the status it ended with (101, legacy's refusal, 502).
      const started = performance.now();
      awaitUpgradeAnswer(req, (status) =>
        runtime.metrics.served(found?.route.name ?? UNMATCHED, 'legacy', status, (performance.now() - started) / 1000),
      );
      addForwarded(req.headers, req, true);
      proxy.upgrade(req, socket as never, head);
    },
    serveDirect(req: IncomingMessage, res: ServerResponse): boolean {
      if (onProxy.ops && ops(req, res)) return true;
      if (onProxy.report && underPath(req.url ?? '/', reportPath)) return false;
      ingress(req, res, (err?: unknown) => proxyFailed(res, err));
      return true;
    },
  });
  return router;

  /** The configured route a request URL matches, with its path parameters (the query is not part of the match). */
  function routeOf(req: IncomingMessage, url: string) {
    const q = url.indexOf('?');
    return findRoute(config.routes, req.method ?? 'GET', q === -1 ? url : url.slice(0, q));
  }

  /** Route, count, then proxy to legacy (shadowing it) or serve from the candidate. */
  function ingress(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void {
    // Two Host lines: 400 before routing (neither backend gets it; no route counts it), see `hasDuplicateHost`.
    if (hasDuplicateHost(req.rawHeaders)) return refuseDuplicateHost(res);
    // Lines Node's parser may have dropped (a host app's server): 431, never relayed short of them.
    if (headerLinesMayBeCut(req)) return refuseCutHeaderLines(res);
    toOriginForm(req);
    // The client's connection options are its hop's (RFC 9110 section 7.6.1): no backend, record or replay gets them.
    dropConnectionOptions(req.headers);
    const plan = watch(req);
    observeServed(req, res, runtime.metrics, runtime.log);
    if (plan) return void candidates.serve(req, res, plan, () => proxy(req, res, next));
    if (config.servedByHeader) res.setHeader(config.servedByHeader, 'legacy');
    proxy.watch(req, res);
    void proxy(req, res, next);
  }

  /** Decide whether this request is shadowed, or served by the candidate (returns the plan); counts what it sees. */
  function watch(req: IncomingMessage & { originalUrl?: string }): CandidatePlan | void {
    const url = req.originalUrl ?? req.url ?? '/';
    const found = routeOf(req, url);
    if (!found) return;
    const { route, params } = found;
    counters.add(route.name, 'seen');
    markRoute(req, route.name);
    const d = decideRequest({ rollout: runtime.rollout, counters }, req, route, params, url);
    // A route (or customer) in phase `legacy` is served and never shadowed: counted like every other skip.
    if (d.phase === 'legacy') return counters.add(route.name, 'skipped:legacy_phase');
    if (req.headers[SHADOW_HEADER]) return counters.add(route.name, 'skipped:loop');
    if (req.headers.upgrade) return counters.add(route.name, 'skipped:upgrade');
    const requestId = req.headers['x-request-id'];
    if (d.phase === 'candidate' || d.phase === 'candidate-only') {
      const id = typeof requestId === 'string' ? requestId : randomId();
      markRequestId(req, id);
      return {
        route,
        params,
        customer: d.customer,
        phase: d.phase,
        url,
        path: d.path,
        query: d.query,
        rawQuery: d.rawQuery,
        requestId: id,
      };
    }
    if (!isSafeMethod(req.method ?? 'GET') && !route.mirrorWrites) return counters.add(route.name, 'skipped:write');
    if (d.sampleRate < 1 && Math.random() >= d.sampleRate) return counters.add(route.name, 'skipped:sampled_out');
    setState(req, newState(route, params, d.customer, d, typeof requestId === 'string' ? requestId : undefined, cap));
  }
}
