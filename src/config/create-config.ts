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

/**
 * Where the Redis came from: the config's `redis.url` or `redis.cluster` (`'config'`), the
 * `REDIS_CLUSTER_NODES` or `REDIS_URL` environment variable, or nowhere (`tandem serve`
 * then starts its own redis-server).
 */
export type RedisUrlSource = 'config' | 'REDIS_CLUSTER_NODES' | 'REDIS_URL' | 'embedded';

/**
 * The resolved, read-only configuration every component takes its part of. Environment
 * fallbacks and derived values are resolved here once, so no component reads the
 * environment or recomputes them:
 * - `redis.url` / `redis.cluster`: the config's own (`redis.url` or `redis.cluster`), else
 *   `REDIS_CLUSTER_NODES` (comma-separated `host:port`, into `redis.cluster.nodes`), else
 *   `REDIS_URL`; at most one of the two is set (`redis.urlFrom` says where it came from;
 *   both undefined when nothing names a Redis);
 * - `redis.tagging`: the config's, else `route` with a cluster and `deployment` without;
 * - `redact.key`: `redact.key`, else `TANDEM_REDACT_KEY` (undefined: kept in Redis);
 * - `redact.customerHeader`: the header `customer: {from: header}` names (its value's secret
 *   `;name=value` parameters are redacted as the customer id's are);
 * - `redact.headers`: the config's, plus the header `customer: {from: jwt, name}` reads its
 *   bearer token from;
 * - `report.token`: `report.token`, else `TANDEM_REPORT_TOKEN`, else generated;
 * - `capture.maxDecodedBytes`: how many bytes a compressed body may decode to
 *   (8 × `capture.maxBodyBytes`, at least 8 MiB).
 */
export interface TandemConfig extends Omit<ParsedConfig, 'routes' | 'report' | 'redis' | 'capture' | 'redact'> {
  readonly redact: ParsedConfig['redact'] & { readonly customerHeader?: string };
  readonly report: { path: string; token: string; tokenGenerated: boolean } & Pick<
    ParsedConfig['report'],
    'listen' | 'trustProxy' | 'lockoutExempt'
  >;
  readonly routes: readonly ResolvedRoute[];
  readonly redis: ParsedConfig['redis'] & { readonly urlFrom: RedisUrlSource; readonly tagging: 'deployment' | 'route' };
  readonly capture: ParsedConfig['capture'] & { readonly maxDecodedBytes: number };
}

/** Environment variables createConfig reads (and no other module does). */
export const CONFIG_ENV = {
  redisUrl: 'REDIS_URL',
  redisClusterNodes: 'REDIS_CLUSTER_NODES',
  redactKey: 'TANDEM_REDACT_KEY',
  reportToken: 'TANDEM_REPORT_TOKEN',
} as const;

/** The least a compressed body may decode to, whatever `capture.maxBodyBytes` is (8 MiB). */
const MIN_DECODED_BYTES = 8 << 20;

/**
 * Validate options and resolve them once into a frozen config, with the environment
 * fallbacks and derived values listed on `TandemConfig` (read from `env`, default
 * `process.env`; an empty variable counts as unset). Throws a ConfigError naming each
 * bad field. A config already resolved is returned as it is.
 *
 * @example
 * const config = createConfig({ legacy: { url: 'http://127.0.0.1:3001' }, candidate: { url: 'http://127.0.0.1:3002' } });
 * config.redis.urlFrom; // 'REDIS_URL' when only the environment names a Redis
 */
export function createConfig(options: TandemOptions | TandemConfig, env: NodeJS.ProcessEnv = process.env): TandemConfig {
  if (isResolved(options)) return options;
  const parsed = configSchema.safeParse(options, { reportInput: true });
  // Every problem at once: the schema's, and route conflicts among the routes that can be read.
  const issues = parsed.success ? [] : describeIssues(configSchema, parsed.error.issues);
  const conflicts = routeConflicts(parsed.success ? parsed.data.routes : readableRoutes(options));
  if (issues.length || conflicts.length) {
    const all = [...issues, ...conflicts];
    throw new ConfigError(issues.length ? ERRORS.CONFIG_INVALID : ERRORS.ROUTES_CONFLICT, all.map(issueText), all);
  }
  const cfg = parsed.data!;
  const fromEnv = (name: string) => env[name] || undefined;
  const token = cfg.report.token ?? fromEnv(CONFIG_ENV.reportToken);
  const resolved: TandemConfig = {
    ...cfg,
    redis: resolveRedis(cfg.redis, fromEnv),
    redact: {
      ...cfg.redact,
      headers: withJwtHeader(cfg),
      ...customerRedaction(cfg),
      key: cfg.redact.key ?? fromEnv(CONFIG_ENV.redactKey),
    },
    capture: { ...cfg.capture, maxDecodedBytes: Math.max(8 * cfg.capture.maxBodyBytes, MIN_DECODED_BYTES) },
    report: {
      ...cfg.report,
      path: cfg.report.path.replace(/\/$/, '') || '/_tandem',
      token: token ?? randomBytes(18).toString('base64url'),
      tokenGenerated: !token,
    },
    routes: cfg.routes.map((r) => ({ ...r, matcher: compileMatch(r.match), rules: mergeRules(cfg.compare, r.compare) })),
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  return deepFreeze(resolved);
}

/** What the customer block adds to redaction (see `TandemConfig`): the header a customer id is read from. */
function customerRedaction(cfg: ParsedConfig): Pick<TandemConfig['redact'], 'customerHeader'> | undefined {
  const c = cfg.customer;
  return c && 'from' in c && c.from === 'header' && c.name ? { customerHeader: c.name.toLowerCase() } : undefined;
}

/**
 * `redact.headers`, with the header a JWT customer id is read from (`customer: {from: jwt, name}`)
 * added when it is not listed: its value is a bearer token, a credential whatever the header's
 * name (`authorization`, the default, is always redacted).
 */
function withJwtHeader(cfg: ParsedConfig): string[] {
  const c = cfg.customer;
  const headers = cfg.redact.headers;
  if (!c || !('from' in c) || c.from !== 'jwt' || !c.name) return headers;
  const name = c.name.toLowerCase();
  return headers.some((h) => h.toLowerCase() === name) ? headers : [...headers, name];
}

/** The `redis` section with its target and tagging resolved (see `TandemConfig`). */
function resolveRedis(r: ParsedConfig['redis'], fromEnv: (name: string) => string | undefined): TandemConfig['redis'] {
  const target = resolveRedisTarget(r, fromEnv);
  return { ...r, ...target, tagging: r.tagging ?? (target.cluster ? 'route' : 'deployment') };
}

/**
 * The config's Redis (url or cluster) wins over the environment; of the environment,
 * `REDIS_CLUSTER_NODES` wins over `REDIS_URL`. Throws a ConfigError when
 * `REDIS_CLUSTER_NODES` holds something that is not `host:port`.
 */
function resolveRedisTarget(
  r: ParsedConfig['redis'],
  fromEnv: (name: string) => string | undefined,
): Pick<TandemConfig['redis'], 'url' | 'cluster' | 'urlFrom'> {
  if (r.url || r.cluster) return { url: r.url, cluster: r.cluster, urlFrom: 'config' };
  const nodes = fromEnv(CONFIG_ENV.redisClusterNodes);
  if (nodes) {
    const parsed = configSchema.shape.redis.safeParse(
      {
        cluster: {
          nodes: nodes
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
        },
      },
      { reportInput: true },
    );
    if (!parsed.success) {
      const issues = describeIssues(configSchema.shape.redis, parsed.error.issues).map((i) => ({
        ...i,
        path: [CONFIG_ENV.redisClusterNodes, ...i.path.slice(2)],
      }));
      throw new ConfigError(ERRORS.CONFIG_INVALID, issues.map(issueText), issues);
    }
    return { url: undefined, cluster: parsed.data.cluster, urlFrom: 'REDIS_CLUSTER_NODES' };
  }
  const url = fromEnv(CONFIG_ENV.redisUrl);
  return { url, cluster: undefined, urlFrom: url ? 'REDIS_URL' : 'embedded' };
}

const RESOLVED = Symbol.for('tandem.config.resolved');

function isResolved(o: unknown): o is TandemConfig {
  return typeof o === 'object' && o !== null && (o as Record<symbol, unknown>)[RESOLVED] === true;
}

/** Routes with a string name and match, from options that failed validation. */
function readableRoutes(options: unknown): (Pick<RouteOptions, 'name' | 'match'> | null)[] {
  const routes = (options as { routes?: unknown })?.routes;
  if (!Array.isArray(routes)) return [];
  return routes.map((r: { name?: unknown; match?: unknown } | null) =>
    r && typeof r.name === 'string' && typeof r.match === 'string' ? { name: r.name, match: r.match } : null,
  );
}

function routeConflicts(routes: readonly (Pick<RouteOptions, 'name' | 'match'> | null)[]): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  const names = new Map<string, number>();
  const matches = new Map<string, number>();
  routes.forEach((r, i) => {
    if (!r) return;
    const key = r.match
      .trim()
      .replace(/\s+/, ' ')
      .replace(/:[^/]+/g, ':');
    if (names.has(r.name))
      problems.push({
        path: ['routes', i, 'name'],
        message: `"${r.name}" is already used by routes.${names.get(r.name)}`,
        code: ERRORS.ROUTES_CONFLICT,
      });
    if (matches.has(key))
      problems.push({
        path: ['routes', i, 'match'],
        message: `"${r.match}" is already claimed by routes.${matches.get(key)}`,
        code: ERRORS.ROUTES_CONFLICT,
      });
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
