import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TandemConfig } from '../config';
import type { TandemMetrics } from '../metrics';
import { opsHandler } from './ops-handler';
import type { HealthReadiness } from './readiness';

/**
 * Liveness (`health.livePath`, default `/healthz`), readiness (`health.readyPath`,
 * default `/readyz`) and Prometheus metrics (`metrics.path`, default `/metrics`; bearer
 * `metrics.token` when set) as a plain Node handler: it answers and returns true, or
 * returns false after one Map lookup for any other request.
 *
 * @example
 * const ops = createOpsRouter({ config, readiness: runtime.readiness, metrics: runtime.metrics });
 * router.use((req, res, next) => ops(req, res) || next());
 */
export function createOpsRouter(rt: {
  config: Pick<TandemConfig, 'health' | 'metrics'>;
  readiness(): Promise<HealthReadiness>;
  metrics: Pick<TandemMetrics, 'text' | 'contentType'>;
}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { health, metrics } = rt.config;
  return opsHandler({
    health: health.enabled ? health : undefined,
    readiness: () => rt.readiness(),
    metrics: metrics.enabled
      ? { path: metrics.path, token: metrics.token, text: () => rt.metrics.text(), contentType: rt.metrics.contentType }
      : undefined,
  });
}
