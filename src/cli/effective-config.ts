import { readConfigOptions, type TandemConfig } from '../config';
import { redactRedisUrl } from '../store';

/**
 * The effective config as a config file: what `tandem config check --json` prints.
 * `config` has the shape a config file has (every default filled in), so `tandem config
 * check` accepts it back and, with the variables of `references` set, resolves it to the
 * same effective config. Each secret is printed as an environment reference (`${VAR}`), so
 * loading the printed config where a variable is not set fails, naming it, instead of
 * silently running without the secret (no JWT verification, a generated report token).
 *
 * @example
 * const { config, references } = effectiveConfigFile(loadConfigFile('tandem.yaml'), writtenSecrets('tandem.yaml'));
 * // references: [{ variable: 'TANDEM_CUSTOMER_JWT_KEY', path: 'customer.jwtKey', asWritten: false }]
 */
export interface EffectiveConfigFile {
  config: Record<string, unknown>;
  /**
   * Each secret printed as a reference: the variable, the secret's dotted path, and whether
   * the reference is the file's own (`asWritten`: the file had `${VAR}` there, so the
   * variable is set where the file loads) or a name generated for a value the file held.
   */
  references: SecretReference[];
}

/** One secret of `EffectiveConfigFile`, printed as `${variable}`. */
export interface SecretReference {
  variable: string;
  path: string;
  asWritten: boolean;
}

/**
 * A secret's value as the config file wrote it, with each `${VAR}` kept as written (a
 * default `${VAR:-x}` as `${VAR}`), or undefined when the file wrote none there or wrote it
 * without any reference. `path` is the dotted path split (`['customer', 'jwtKey']`).
 */
export type WrittenSecret = (path: readonly string[]) => string | undefined;

/**
 * Variable names for the secrets a file held as values (`${TANDEM_REPORT_TOKEN}` and
 * `${TANDEM_REDACT_KEY}` are also the variables Tandem falls back to for those two).
 */
const SECRET_VARIABLES = {
  'report.token': 'TANDEM_REPORT_TOKEN',
  'metrics.token': 'TANDEM_METRICS_TOKEN',
  'redact.key': 'TANDEM_REDACT_KEY',
  'customer.jwtKey': 'TANDEM_CUSTOMER_JWT_KEY',
  'notify.webhookUrl': 'TANDEM_NOTIFY_WEBHOOK_URL',
  'redis.url': 'TANDEM_REDIS_URL',
} as const;

/** The generated variable of `notify.headers.<name>`: `TANDEM_NOTIFY_HEADER_AUTHORIZATION`. */
const headerVariable = (name: string) => `TANDEM_NOTIFY_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * `c` written back as a config file. Left out: what Tandem derives and no file sets
 * (`redis.urlFrom`, `report.tokenGenerated`, `capture.maxDecodedBytes`, each route's
 * compiled matcher and merged `rules`: its own `compare` is kept, and the top-level
 * `compare` it is merged over); a Redis named by the environment (`REDIS_URL`,
 * `REDIS_CLUSTER_NODES`: loaded again in that environment it resolves the same).
 *
 * Secrets are printed as `${VAR}` references (see `SecretReference`), never as values:
 * `report.token` (unless generated at start), `metrics.token`, `redact.key`,
 * `customer.jwtKey`, `notify.webhookUrl` (a webhook URL is often the credential itself),
 * each `notify.headers` value, and `redis.url` when it holds a password (userinfo or query,
 * see `redactRedisUrl`) or cannot be parsed. The file's own reference is kept when
 * `written` gives one (for `redis.url` only when no password of it is written literally);
 * else a generated name (`SECRET_VARIABLES`, `TANDEM_NOTIFY_HEADER_<NAME>`).
 */
export function effectiveConfigFile(c: TandemConfig, written: WrittenSecret = () => undefined): EffectiveConfigFile {
  const references: SecretReference[] = [];
  const secret = (path: string, value: string | undefined, generated: string, safe = (_w: string) => true): string | undefined => {
    if (value === undefined || value === '') return undefined;
    const own = written(path.split('.'));
    const asWritten = own !== undefined && safe(own);
    const refs = asWritten ? [...own.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]) : [generated];
    for (const variable of refs) references.push({ variable, path, asWritten });
    return asWritten ? own : `\${${generated}}`;
  };
  const { urlFrom, url, cluster, ...redis } = c.redis;
  const { token, tokenGenerated, ...report } = c.report;
  const { maxDecodedBytes: _derived, ...capture } = c.capture;
  const { customerHeader: _customer, ...redact } = c.redact;
  const headers = Object.fromEntries(
    Object.entries(c.notify.headers).map(([name, value]) => [name, secret(`notify.headers.${name}`, value, headerVariable(name))]),
  );
  const config: Record<string, unknown> = {
    ...c,
    redis: { ...(urlFrom === 'config' ? { url: url === undefined ? undefined : redisUrl(url, secret), cluster } : {}), ...redis },
    report: { ...report, token: tokenGenerated ? undefined : secret('report.token', token, SECRET_VARIABLES['report.token']) },
    capture,
    redact: { ...redact, key: secret('redact.key', c.redact.key, SECRET_VARIABLES['redact.key']) },
    metrics: { ...c.metrics, token: secret('metrics.token', c.metrics.token, SECRET_VARIABLES['metrics.token']) },
    notify: {
      ...c.notify,
      webhookUrl: secret('notify.webhookUrl', c.notify.webhookUrl, SECRET_VARIABLES['notify.webhookUrl']),
      headers,
    },
    ...(c.customer && 'from' in c.customer
      ? { customer: { ...c.customer, jwtKey: secret('customer.jwtKey', c.customer.jwtKey, SECRET_VARIABLES['customer.jwtKey']) } }
      : {}),
    routes: c.routes.map(({ matcher: _m, rules: _r, ...route }) => route),
  };
  // A plain JSON value: undefined fields go, as they would from a file.
  return { config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>, references };
}

/**
 * `redis.url` as printed: as it is without a password; else a reference, the file's own
 * only when none of the URL's passwords is written in it literally.
 */
function redisUrl(
  url: string,
  secret: (path: string, value: string, generated: string, safe: (w: string) => boolean) => string | undefined,
) {
  if (redactRedisUrl(url).hidden === 'nothing') return url;
  const passwords = passwordsOf(url);
  return secret('redis.url', url, SECRET_VARIABLES['redis.url'], (w) => passwords !== null && passwords.every((p) => !w.includes(p)));
}

/** The password texts of a Redis URL (userinfo, `*password*` query items), or null when it cannot be parsed. */
function passwordsOf(url: string): string[] | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const query = [...u.searchParams].filter(([name]) => /password/i.test(name)).map(([, v]) => v);
  return [u.password, decodeURIComponent(u.password), ...query].filter((p) => p !== '');
}

/** What a variable reads as while the file is read for `writtenSecrets`: text no value holds. */
const mark = (name: string) => `$<<${name}>>`;

/**
 * The `WrittenSecret` of config file `file`: read again with every `${VAR}` kept as a mark
 * (not substituted), so a secret's own reference can be printed back as written. When the
 * file cannot be read that way, no value has a reference (generated names are used).
 *
 * @example
 * writtenSecrets('tandem.yaml')(['customer', 'jwtKey']); // '${JWT_KEY}' when the file says jwtKey: ${JWT_KEY}
 */
export function writtenSecrets(file: string): WrittenSecret {
  const marks = new Proxy({} as NodeJS.ProcessEnv, { get: (_t, name) => (typeof name === 'string' ? mark(name) : undefined) });
  let options: unknown;
  try {
    options = readConfigOptions(file, marks).options;
  } catch {
    return () => undefined;
  }
  return (path) => {
    let v: unknown = options;
    for (const key of path)
      v = v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v !== 'string' || !/\$<<[A-Za-z_][A-Za-z0-9_]*>>/.test(v)) return undefined;
    return v.replace(/\$<<([A-Za-z_][A-Za-z0-9_]*)>>/g, (_m, name: string) => `\${${name}}`);
  };
}
