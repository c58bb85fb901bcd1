import { connectionOptions, type Headers } from '../records';
import type { CompiledRules } from './compile-rules';
import type { FoundDifference } from './found-difference';
import { headerString, mediaType } from './media-type';
import { formatPath } from './path';

/**
 * Headers skipped when the compare list is `['*']` (they vary per response or per hop).
 * Naming one explicitly next to `*` (e.g. `['*', 'etag']`) compares it anyway.
 *
 * @example
 * DEFAULT_IGNORED_HEADERS.includes('date'); // true
 */
export const DEFAULT_IGNORED_HEADERS: readonly string[] = [
  // per response
  'date',
  'age',
  'expires',
  'last-modified',
  'etag',
  'set-cookie',
  'server',
  'x-powered-by',
  'server-timing',
  'x-response-time',
  'x-runtime',
  'x-envoy-upstream-service-time',
  // hop-by-hop and transport (bodies are compared decompressed)
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'content-length',
  'content-encoding',
  'via',
  'alt-svc',
  // tracing and caches
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'x-trace-id',
  'traceparent',
  'tracestate',
  'x-amzn-trace-id',
  'cf-ray',
  'x-cache',
  'x-cache-hits',
  'x-served-by',
  'x-timer',
  'report-to',
  'nel',
];

const IGNORED = new Set(DEFAULT_IGNORED_HEADERS);

/**
 * The header names to compare: the rules' list, where `*` stands for every header on
 * either side except DEFAULT_IGNORED_HEADERS and the fields either side's `Connection` lists.
 *
 * @example
 * comparedHeaderNames(['*'], { date: 'x', vary: 'a' }, { 'x-new': '1' }); // ['vary', 'x-new']
 */
export function comparedHeaderNames(list: readonly string[], legacy: Headers, candidate: Headers): string[] {
  if (!list.includes('*')) return [...list];
  const names = new Set(list.filter((n) => n !== '*'));
  // The fields either side's Connection lists are hop-by-hop too (RFC 9110 section 7.6.1): legacy's
  // are not relayed (its record has none), the candidate's would read as added.
  const hop = [...connectionOptions(headerString(legacy, 'connection')), ...connectionOptions(headerString(candidate, 'connection'))];
  for (const n of [...Object.keys(legacy), ...Object.keys(candidate)]) {
    const lower = n.toLowerCase();
    if (!IGNORED.has(lower) && !hop.includes(lower)) names.add(lower);
  }
  return [...names].sort();
}

/**
 * Compare the listed headers, as `$headers.<name>` differences. content-type compares
 * its media type only (charset and case ignored). A header only in the candidate is an
 * added field (dropped under allowAdded).
 *
 * @example
 * diffHeaders({ 'content-type': 'application/json' }, { 'content-type': 'text/html' }, compileRules({}));
 * // [{ path: '$headers.content-type', kind: 'changed', legacy: 'application/json', candidate: 'text/html', ... }]
 */
export function diffHeaders(legacy: Headers, candidate: Headers, rules: CompiledRules): FoundDifference[] {
  const out: FoundDifference[] = [];
  for (const name of comparedHeaderNames(rules.headers, legacy, candidate)) {
    let l = headerString(legacy, name);
    let c = headerString(candidate, name);
    if (name === 'content-type') {
      l = l === undefined ? l : mediaType(l);
      c = c === undefined ? c : mediaType(c);
    }
    if (l === c) continue;
    if (l === undefined && rules.allowAdded) continue;
    const segments = ['$headers', name];
    if (rules.ignored(segments)) continue;
    const kind = l === undefined ? 'added' : c === undefined ? 'removed' : 'changed';
    const d: FoundDifference = { area: 'header', segments, path: formatPath(segments), kind };
    if (l !== undefined) d.legacy = l;
    if (c !== undefined) d.candidate = c;
    out.push(d);
  }
  return out;
}
