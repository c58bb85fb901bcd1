import type { TandemConfig } from '../config';
import { redactRedisUrl } from '../store';

/**
 * The effective config as a config file: what `tandem config check --json` prints.
 * `config` has the shape a config file has (every default filled in), so `tandem config
 * check` accepts it back and resolves it to the same effective config. `leftOut` names
 * each secret that was set and is not printed (dotted paths).
 *
 * @example
 * const { config, leftOut } = effectiveConfigFile(loadConfigFile('tandem.yaml'));
 * // leftOut: ['report.token', 'notify.headers.authorization']
 */
export interface EffectiveConfigFile {
  config: Record<string, unknown>;
  leftOut: string[];
}

/**
 * `c` written back as a config file. Left out:
 * - what Tandem derives and no file sets: `redis.urlFrom`, `report.tokenGenerated`,
 *   `capture.maxDecodedBytes`, each route's compiled matcher and merged `rules` (its own
 *   `compare` is kept, and the top-level `compare` it is merged over);
 * - a Redis named by the environment (`REDIS_URL`, `REDIS_CLUSTER_NODES`): loaded again in
 *   that environment it resolves the same;
 * - secrets, named in `leftOut`: `report.token`, `metrics.token`, `redact.key`,
 *   `customer.jwtKey` (without it a JWT is only decoded, not verified), `notify.webhookUrl`
 *   (a webhook URL is often the credential itself), each `notify.headers` value, and the
 *   password of `redis.url` (in its userinfo or its query, see `redactRedisUrl`; a URL that
 *   cannot be parsed is left out whole). Nothing is replaced by a placeholder a config would take as a
 *   value.
 */
export function effectiveConfigFile(c: TandemConfig): EffectiveConfigFile {
  const leftOut: string[] = [];
  const secret = (path: string, value: unknown): undefined => {
    if (value !== undefined && value !== '') leftOut.push(path);
    return undefined;
  };
  const { urlFrom, url, cluster, ...redis } = c.redis;
  const { token, tokenGenerated, ...report } = c.report;
  if (!tokenGenerated) secret('report.token', token);
  const { maxDecodedBytes: _derived, ...capture } = c.capture;
  const notifyHeaders = Object.keys(c.notify.headers);
  notifyHeaders.forEach((name) => secret(`notify.headers.${name}`, c.notify.headers[name]));
  const config: Record<string, unknown> = {
    ...c,
    redis: { ...(urlFrom === 'config' ? { url: url === undefined ? undefined : withoutPassword(url, leftOut), cluster } : {}), ...redis },
    report,
    capture,
    redact: { ...c.redact, key: secret('redact.key', c.redact.key) },
    metrics: { ...c.metrics, token: secret('metrics.token', c.metrics.token) },
    notify: { ...c.notify, webhookUrl: secret('notify.webhookUrl', c.notify.webhookUrl), headers: {} },
    ...(c.customer && 'from' in c.customer ? { customer: { ...c.customer, jwtKey: secret('customer.jwtKey', c.customer.jwtKey) } } : {}),
    routes: c.routes.map(({ matcher: _m, rules: _r, ...route }) => route),
  };
  // A plain JSON value: undefined fields go, as they would from a file.
  return { config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>, leftOut };
}

/**
 * `redis.url` without its password (userinfo or query, see `redactRedisUrl`), named in
 * `leftOut` when it had one; a URL that cannot be parsed is left out whole.
 */
function withoutPassword(url: string, leftOut: string[]): string | undefined {
  const r = redactRedisUrl(url);
  if (r.hidden === 'password') leftOut.push('redis.url (its password)');
  if (r.hidden === 'url') leftOut.push('redis.url (not a valid URL: left out whole)');
  return r.hidden === 'url' ? undefined : r.shown;
}
