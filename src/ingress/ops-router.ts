import type { NextFunction, Request, Response } from 'express';
import { opsHandler } from '../health';
import type { Runtime } from '../runtime';

/**
 * Liveness (`health.livePath`, default `/healthz`), readiness (`health.readyPath`,
 * default `/readyz`) and Prometheus metrics (`metrics.path`, default `/metrics`; bearer
 * `metrics.token` when set). Mounted before the proxy; any other request passes on
 * after one Map lookup.
 *
 * @example
 * router.use(createOpsRouter(runtime));
 */
export function createOpsRouter(rt: Runtime): (req: Request, res: Response, next: NextFunction) => void {
  const { health, metrics } = rt.config;
  const handle = opsHandler({
    health: health.enabled ? health : undefined,
    readiness: () => rt.readiness(),
    metrics: metrics.enabled ? { path: metrics.path, token: metrics.token, text: () => rt.metrics.text(), contentType: rt.metrics.contentType } : undefined,
  });
  return function tandemOps(req, res, next) {
    if (!handle(req, res)) next();
  };
}
