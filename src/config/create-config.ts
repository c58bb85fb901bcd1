import { randomBytes } from 'node:crypto';
import { configSchema, type CompareRules, type ParsedConfig, type RouteOptions, type TandemOptions } from './schema';
import { ConfigError, ERRORS } from './errors';
import { compileMatch, type RouteMatcher } from './route-matcher';

/** A configured route with its compiled matcher and its compare rules merged over the defaults. */
export interface ResolvedRoute extends RouteOptions {
  matcher: RouteMatcher;
  rules: CompareRules;
}

/** The resolved, read-only configuration every component takes its part of. */
export interface TandemConfig extends Omit<ParsedConfig, 'routes' | 'report'> {
  readonly report: { path: string; token: string; tokenGenerated: boolean };
  readonly routes: readonly ResolvedRoute[];
}

/**
 * Validate options and resolve them once into a frozen config. Throws a ConfigError
 * naming each bad field.
 *
 * @example
 * const config = createConfig({ legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' } });
 */
export function createConfig(options: TandemOptions | TandemConfig): TandemConfig {
  if (isResolved(options)) return options;
  const parsed = configSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(ERRORS.CONFIG_INVALID, problems);
  }
  const cfg = parsed.data;
  checkRoutes(cfg.routes);
  const token = cfg.report.token ?? process.env.TANDEM_REPORT_TOKEN;
  const resolved: TandemConfig = {
    ...cfg,
    report: { path: cfg.report.path.replace(/\/$/, '') || '/_tandem', token: token ?? randomBytes(18).toString('base64url'), tokenGenerated: !token },
    routes: cfg.routes.map((r) => ({ ...r, matcher: compileMatch(r.match), rules: mergeRules(cfg.compare, r.compare) })),
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  return deepFreeze(resolved);
}

const RESOLVED = Symbol.for('tandem.config.resolved');

function isResolved(o: unknown): o is TandemConfig {
  return typeof o === 'object' && o !== null && (o as Record<symbol, unknown>)[RESOLVED] === true;
}

/** Route rules override the defaults field by field; lists are concatenated. */
export function mergeRules(defaults: CompareRules, route: CompareRules | undefined): CompareRules {
  if (!route) return defaults;
  return {
    ...defaults,
    ...route,
    ignore: [...(defaults.ignore ?? []), ...(route.ignore ?? [])],
    unordered: [...(defaults.unordered ?? []), ...(route.unordered ?? [])],
    noise: [...(defaults.noise ?? []), ...(route.noise ?? [])],
    arrayKeys: { ...defaults.arrayKeys, ...route.arrayKeys },
  };
}

function checkRoutes(routes: RouteOptions[]): void {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const matches = new Map<string, number>();
  routes.forEach((r, i) => {
    const key = r.match.trim().replace(/\s+/, ' ').replace(/:[^/]+/g, ':');
    if (names.has(r.name)) problems.push(`routes.${i}.name: "${r.name}" is already used by routes.${names.get(r.name)}`);
    if (matches.has(key)) problems.push(`routes.${i}.match: "${r.match}" is already claimed by routes.${matches.get(key)}`);
    names.set(r.name, i);
    matches.set(key, i);
  });
  if (problems.length) throw new ConfigError(ERRORS.ROUTES_CONFLICT, problems);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) if (typeof v !== 'function') deepFreeze(v);
  }
  return o;
}
