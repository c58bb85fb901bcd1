import type { ResolvedRoute } from '../config';

/**
 * The first configured route matching a request, with its path parameters.
 *
 * @example
 * findRoute(config.routes, 'GET', '/products/7'); // { route, params: { id: '7' } }
 */
export function findRoute(
  routes: readonly ResolvedRoute[],
  method: string,
  path: string,
): { route: ResolvedRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = route.matcher.match(method, path);
    if (params) return { route, params };
  }
  return null;
}
