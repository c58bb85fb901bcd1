import { randomBytes } from 'node:crypto';
import { configSchema, type CompareRules, type ParsedConfig, type RouteOptions, type TandemOptions } from './schema';
import { ConfigError, ERRORS } from './errors';
import { compileMatch, type RouteMatcher } from './route-matcher';
import { describeIssues, issueText, type ConfigIssue } from './describe-issues';
import { mergeRules } from '../rules/merge-rules';

/** A configured route with its compiled matcher and its compare rules merged over the defaults. */
export interface ResolvedRoute extends RouteOptions {
  matcher: RouteMatcher;
  rules: CompareRules;
}

/** The resolved, read-only configuration every component takes its part of. */
export interface TandemConfig extends Omit<ParsedConfig, 'routes' | 'report'> {
  readonly report: { path: string; token: string; tokenGenerated: boolean } & Pick<ParsedConfig['report'], 'listen' | 'trustProxy'>;
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
  // Every problem at once: the schema's, and route conflicts among the routes that can be read.
  const issues = parsed.success ? [] : describeIssues(configSchema, parsed.error.issues);
  const conflicts = routeConflicts(parsed.success ? parsed.data.routes : readableRoutes(options));
  if (issues.length || conflicts.length) {
    const all = [...issues, ...conflicts];
    throw new ConfigError(issues.length ? ERRORS.CONFIG_INVALID : ERRORS.ROUTES_CONFLICT, all.map(issueText), all);
  }
  const cfg = parsed.data!;
  const token = cfg.report.token ?? process.env.TANDEM_REPORT_TOKEN;
  const resolved: TandemConfig = {
    ...cfg,
    report: { ...cfg.report, path: cfg.report.path.replace(/\/$/, '') || '/_tandem', token: token ?? randomBytes(18).toString('base64url'), tokenGenerated: !token },
    routes: cfg.routes.map((r) => ({ ...r, matcher: compileMatch(r.match), rules: mergeRules(cfg.compare, r.compare) })),
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  return deepFreeze(resolved);
}

const RESOLVED = Symbol.for('tandem.config.resolved');

function isResolved(o: unknown): o is TandemConfig {
  return typeof o === 'object' && o !== null && (o as Record<symbol, unknown>)[RESOLVED] === true;
}

/** Routes with a string name and match, from options that failed validation. */
function readableRoutes(options: unknown): (Pick<RouteOptions, 'name' | 'match'> | null)[] {
  const routes = (options as { routes?: unknown })?.routes;
  if (!Array.isArray(routes)) return [];
  return routes.map((r: { name?: unknown; match?: unknown } | null) => (r && typeof r.name === 'string' && typeof r.match === 'string' ? { name: r.name, match: r.match } : null));
}

function routeConflicts(routes: readonly (Pick<RouteOptions, 'name' | 'match'> | null)[]): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  const names = new Map<string, number>();
  const matches = new Map<string, number>();
  routes.forEach((r, i) => {
    if (!r) return;
    const key = r.match.trim().replace(/\s+/, ' ').replace(/:[^/]+/g, ':');
    if (names.has(r.name)) problems.push({ path: ['routes', i, 'name'], message: `"${r.name}" is already used by routes.${names.get(r.name)}` });
    if (matches.has(key)) problems.push({ path: ['routes', i, 'match'], message: `"${r.match}" is already claimed by routes.${matches.get(key)}` });
    names.set(r.name, i);
    matches.set(key, i);
  });
  return problems;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) if (typeof v !== 'function') deepFreeze(v);
  }
  return o;
}
