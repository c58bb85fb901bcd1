/**
 * A Redis URL as Tandem may show it (logs, `tandem config check`, `--json`): never with a
 * credential. ioredis (`parseURL` in ioredis/built/utils) takes the password from the
 * URL's userinfo (`redis://user:secret@host`) and, since its query items become connection
 * options, from the query too (`?password=secret`, `?sentinelPassword=secret`): both are
 * hidden. A URL that cannot be parsed is hidden whole, since where its password sits is
 * unknown (ioredis cannot connect with it either: it uses the same parser).
 */
export interface RedactedRedisUrl {
  /** What may be shown: the URL without its password(s), or `HIDDEN_REDIS_URL`. */
  shown: string;
  /** What was hidden: nothing, the password(s), or the whole URL (it could not be parsed). */
  hidden: 'nothing' | 'password' | 'url';
}

/** What is shown in place of a Redis URL that cannot be parsed. */
export const HIDDEN_REDIS_URL = 'redis://(not a valid URL, hidden)';

/** Query items that carry a credential: any name with `password` in it, in any case. */
const SECRET_QUERY_ITEM = /password/i;

/**
 * `url` without a password: the userinfo password cleared and every query item whose name
 * contains `password` (any case) removed; the whole URL replaced by `HIDDEN_REDIS_URL` when
 * `new URL` cannot parse it.
 *
 * @example
 * redactRedisUrl('redis://:s3cret@127.0.0.1:6379/0'); // { shown: 'redis://127.0.0.1:6379/0', hidden: 'password' }
 * redactRedisUrl('redis://127.0.0.1:6379?password=s3cret&db=1'); // { shown: 'redis://127.0.0.1:6379?db=1', hidden: 'password' }
 * redactRedisUrl('redis://:s3cret@host:99999'); // { shown: HIDDEN_REDIS_URL, hidden: 'url' }
 */
export function redactRedisUrl(url: string): RedactedRedisUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { shown: HIDDEN_REDIS_URL, hidden: 'url' };
  }
  const names = [...new Set([...u.searchParams.keys()])].filter((name) => SECRET_QUERY_ITEM.test(name));
  if (!u.password && !names.length) return { shown: url, hidden: 'nothing' };
  u.password = '';
  for (const name of names) u.searchParams.delete(name);
  return { shown: u.toString(), hidden: 'password' };
}
