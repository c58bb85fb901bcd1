import type { Headers } from '../records';
import type { CompiledRules } from './compile-rules';
import type { FoundDifference } from './found-difference';
import { headerString } from './media-type';

const BASE = 'http://location.invalid';

/**
 * A `location` value as what a client is sent to: a URL resolved and normalised (WHATWG
 * URL: case of scheme and host, default ports, percent-encoding, dot segments), reduced
 * to path, query and fragment when it points back at the same site: relative, or at a
 * host in `selfHosts` (the Host the request carried to each backend), so a backend
 * that writes absolute redirects with the Host it was given is not a difference.
 *
 * @example
 * locationTarget('HTTP://Shop.example:80/a/../b?q=1', ['shop.example']); // '/b?q=1'
 */
export function locationTarget(value: string, selfHosts: readonly string[]): string {
  try {
    const u = new URL(value, BASE);
    return u.origin === BASE || selfHosts.includes(u.host) ? `${u.pathname}${u.search}${u.hash}` : u.href;
  } catch {
    return value;
  }
}

/**
 * The `$headers.location` difference of two redirects (3xx): compared by default, as
 * URLs (see `locationTarget`). Nothing when the targets are equal or the path is ignored.
 *
 * @example
 * diffLocation({ location: '/a' }, { location: '/b' }, compileRules({}), []); // [{ path: '$headers.location', kind: 'changed', ... }]
 */
export function diffLocation(legacy: Headers, candidate: Headers, rules: CompiledRules, selfHosts: readonly string[]): FoundDifference[] {
  const l = headerString(legacy, 'location');
  const c = headerString(candidate, 'location');
  if (l === c || (l !== undefined && c !== undefined && locationTarget(l, selfHosts) === locationTarget(c, selfHosts))) return [];
  const segments = ['$headers', 'location'];
  if (rules.ignored(segments)) return [];
  const d: FoundDifference = {
    area: 'header',
    segments,
    path: '$headers.location',
    kind: l === undefined ? 'added' : c === undefined ? 'removed' : 'changed',
  };
  if (l !== undefined) d.legacy = l;
  if (c !== undefined) d.candidate = c;
  return [d];
}
