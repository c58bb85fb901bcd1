import type { Request } from 'express';
import { ApiError } from './api-errors';

/** Route names as the config allows them. */
const ROUTE_NAME = /^[A-Za-z0-9_.-]{1,200}$/;
/** Stored ids: printable ASCII without spaces (ingress time + request id). */
const RESULT_ID = /^[\x21-\x7e]{1,300}$/;

/**
 * The `:route` parameter; throws a 400 ApiError when it cannot be a route name.
 *
 * @example
 * const route = routeParam(req);
 */
export function routeParam(req: Request): string {
  const route = String(req.params.route);
  if (ROUTE_NAME.test(route)) return route;
  throw new ApiError(400, 'route: letters, digits, "_", "." and "-" only');
}

/**
 * The `:id` parameter; throws a 400 ApiError when it cannot be a stored id.
 *
 * @example
 * const id = idParam(req);
 */
export function idParam(req: Request): string {
  const id = String(req.params.id);
  if (RESULT_ID.test(id)) return id;
  throw new ApiError(400, 'id: printable characters only, at most 300');
}
