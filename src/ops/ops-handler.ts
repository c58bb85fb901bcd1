import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthReadiness } from './readiness';

/** What the operations endpoints serve, and where. */
export interface OpsEndpoints {
  health?: { livePath: string; readyPath: string };
  readiness(): Promise<HealthReadiness>;
  metrics?: { path: string; token?: string; text(): Promise<string>; contentType: string };
}

/**
 * A plain Node handler for the liveness, readiness and metrics endpoints; it returns
 * false for any other request (so the caller passes it on). One Map lookup per request.
 * - liveness: 200 `{ "status": "ok" }` while the process runs;
 * - readiness: 200 or 503 with `{ ready, checks: { name: { ok, ms, detail? } } }`;
 * - metrics: Prometheus text; 401 without the bearer token when `metrics.token` is set.
 *
 * @example
 * const handle = opsHandler({ health: { livePath: '/healthz', readyPath: '/readyz' }, readiness });
 * http.createServer((req, res) => handle(req, res) || res.writeHead(404).end());
 */
export function opsHandler(o: OpsEndpoints): (req: IncomingMessage, res: ServerResponse) => boolean {
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();
  if (o.health) {
    routes.set(o.health.livePath, async (_req, res) => json(res, 200, { status: 'ok' }));
    routes.set(o.health.readyPath, async (_req, res) => {
      const r = await o.readiness();
      json(res, r.ready ? 200 : 503, r);
    });
  }
  const m = o.metrics;
  if (m) {
    routes.set(m.path, async (req, res) => {
      if (m.token && !bearerMatches(req.headers.authorization, m.token))
        return json(res, 401, { error: 'unauthorized', message: 'the metrics token is required (Authorization: Bearer <token>)' });
      const text = await m.text();
      res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' }).end(text);
    });
  }
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const route = routes.get(q === -1 ? url : url.slice(0, q));
    if (!route) return false;
    route(req, res).catch((e: Error) => {
      if (!res.headersSent) json(res, 500, { error: 'internal', message: e.message });
      else res.destroy();
    });
    return true;
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}
