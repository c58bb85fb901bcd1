import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-errors';
import type { Runtime } from '../../runtime';
import { routeParam } from './query-params';

/**
 * Gate for `/routes/:route/...` report endpoints: a route the config does not name and
 * that has no stored results answers 404 naming the configured routes, instead of an
 * empty 200 that looks like a quiet route. Mount after the store is ready.
 *
 * @example
 * api.use('/routes/:route', knownRouteGate(rt));
 */
export function knownRouteGate(rt: Runtime) {
  const configured = new Set(rt.config.routes.map((r) => r.name));
  return async function knownRoute(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const route = routeParam(req);
    if (configured.has(route) || (await rt.store().routeNames()).includes(route)) return next();
    throw new ApiError(404, unknownRouteMessage(route, [...configured]));
  };
}

/**
 * "no route is named ..." with the configured names, the same words everywhere.
 *
 * @example
 * unknownRouteMessage('nosuch', ['product']); // 'no route is named "nosuch" (configured: product)'
 */
export function unknownRouteMessage(route: string, configured: readonly string[]): string {
  return `no route is named "${route}" (configured: ${configured.join(', ') || 'none'})`;
}
