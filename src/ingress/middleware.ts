import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createConfig, type TandemConfig, type TandemOptions } from '../config';
import { createRuntime, type Runtime } from '../runtime';
import { SHADOW_HEADER, type ExchangeDraft } from '../shadow';
import type { Logger } from '../log';
import { getState, newState, setState } from './exchange-state';
import { findRoute } from './find-route';
import { createLegacyProxy } from './legacy-proxy';
import { createReportRouter } from './report-router';
import { createCandidateServer, type CandidatePlan } from './serve-candidate';
import { decideRequest } from './rollout-decision';
import { randomUUID } from 'node:crypto';
import { createOpsRouter } from './ops-router';
import { markRoute, observeServed } from './served-metrics';
import { requestIdOf, requestLogger } from '../log';

const SAFE = new Set(['GET', 'HEAD']);

/** The express middleware, with the runtime behind it. */
export interface TandemMiddleware extends Router {
  readonly runtime: Runtime;
  /** Resolves when Redis, the queue and the worker are up. */
  readonly ready: Promise<void>;
  /** Stop the runtime (flushes queued comparisons). */
  close(): Promise<void>;
  /** Proxy a WebSocket upgrade to legacy (never shadowed). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
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
  const { counters, shadow } = runtime;
  const cap = config.capture.maxBodyBytes;

  const proxy = createLegacyProxy(config, {
    onSkip: (req, reason) => counters.add(getState(req)!.route.name, `skipped:${reason}`),
    onError: (req, err) => requestLogger(runtime.log, { requestId: getState(req)?.requestId ?? requestIdOf(req), route: getState(req)?.route.name }).warn({ err: err.message, code: err.code }, 'legacy did not answer'),
    onExchangeComplete(req, res, proxyRes) {
      const s = getState(req)!;
      const draft: ExchangeDraft = {
        id: `${s.at.toString(36)}-${s.requestId}`,
        route: s.route.name,
        customer: s.customer,
        at: s.at,
        requestId: s.requestId,
        params: s.params,
        request: { method: req.method ?? 'GET', path: s.path, query: s.query, headers: { ...req.headers, 'x-request-id': s.requestId }, body: s.requestBody.record() },
        legacy: { status: proxyRes.statusCode ?? 0, headers: { ...proxyRes.headers }, body: s.responseBody.record(), durationMs: performance.now() - s.started },
      };
      shadow.dispatch(draft);
    },
  });

  const candidates = createCandidateServer(runtime);
  const router = express.Router() as TandemMiddleware;
  router.use(createOpsRouter(runtime));
  router.use(config.report.path, createReportRouter(runtime));
  router.use(function tandemIngress(req: Request, res: Response, next: NextFunction) {
    const plan = watch(req, runtime);
    observeServed(req, res, runtime.metrics, runtime.log);
    if (plan) return candidates.serve(req, res, plan, () => proxy(req as IncomingMessage, res as ServerResponse, next));
    if (config.servedByHeader) res.setHeader(config.servedByHeader, 'legacy');
    return proxy(req as IncomingMessage, res as ServerResponse, next);
  });
  Object.assign(router, {
    runtime,
    ready: runtime.ready,
    close: async () => {
      await runtime.close();
      proxy.close();
      candidates.close();
    },
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => proxy.upgrade(req, socket as never, head),
  });
  return router;

  /** Decide whether this request is shadowed, or served by the candidate (returns the plan); counts what it sees. */
  function watch(req: Request, rt: Runtime): CandidatePlan | void {
    const url = req.originalUrl ?? req.url;
    const q = url.indexOf('?');
    const found = findRoute(config.routes, req.method, q === -1 ? url : url.slice(0, q));
    if (!found) return;
    const { route, params } = found;
    rt.counters.add(route.name, 'seen');
    markRoute(req, route.name);
    const d = decideRequest(rt, req, route, params, url);
    if (d.phase === 'legacy') return;
    if (req.headers[SHADOW_HEADER]) return rt.counters.add(route.name, 'skipped:loop');
    if (req.headers.upgrade) return rt.counters.add(route.name, 'skipped:upgrade');
    const requestId = req.headers['x-request-id'];
    if (d.phase === 'candidate' || d.phase === 'candidate-only') {
      return { route, params, customer: d.customer, phase: d.phase, url, path: d.path, query: d.query, requestId: typeof requestId === 'string' ? requestId : randomUUID() };
    }
    if (!SAFE.has(req.method) && !route.mirrorWrites) return rt.counters.add(route.name, 'skipped:write');
    if (d.sampleRate < 1 && Math.random() >= d.sampleRate) return rt.counters.add(route.name, 'skipped:sampled_out');
    setState(req, newState(route, params, d.customer, d, typeof requestId === 'string' ? requestId : undefined, cap));
  }
}
