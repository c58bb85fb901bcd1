import http from 'node:http';
import https from 'node:https';
import { ConnectionPool } from './connection-pool';

/**
 * Which Host a backend sees: `client` keeps the Host the client sent (what a
 * transparent proxy does; backends building links from Host answer alike), `upstream`
 * uses the backend URL's host (for backends behind a Host-routed load balancer).
 */
export type HostPolicy = 'client' | 'upstream';

/** Where and how to send: a base URL with its keep-alive agent. */
export interface Upstream {
  url: URL;
  agent: http.Agent;
  /**
   * The keep-alive connections `sendRequest` uses for an `http:` URL (see `ConnectionPool`):
   * lighter per request than Node's client through `agent`, which serves `https:` URLs.
   */
  pool?: ConnectionPool;
  /** Time for the whole response, from sending the request to the end of its body (ms). */
  timeoutMs: number;
  maxBodyBytes: number;
  host: HostPolicy;
  /** The Host sent under the `upstream` policy: the URL's host, or the primary's for a second instance (the noise repeat). */
  upstreamHost: string;
  /** Keep each response's head as written (`SendOutcome`'s `lines`): set for an upstream whose answers are served to clients. */
  keepLines?: boolean;
}

/**
 * An upstream with a keep-alive agent of `maxSockets` connections (and, for `http:`, a
 * `ConnectionPool` of as many). Close it with `closeUpstream`.
 *
 * @example
 * const candidate = createUpstream('http://127.0.0.1:3002', { timeoutMs: 2000, maxBodyBytes: 1 << 20, maxSockets: 64, host: 'client' });
 */
export function createUpstream(
  base: string,
  o: { timeoutMs: number; maxBodyBytes: number; maxSockets: number; host?: HostPolicy; upstreamHost?: string },
): Upstream {
  const url = new URL(base);
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  return {
    url,
    timeoutMs: o.timeoutMs,
    maxBodyBytes: o.maxBodyBytes,
    host: o.host ?? 'client',
    upstreamHost: o.upstreamHost ?? url.host,
    agent: new Agent({ keepAlive: true, maxSockets: o.maxSockets, maxFreeSockets: o.maxSockets }),
    ...(url.protocol === 'http:'
      ? { pool: new ConnectionPool(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80), o.maxSockets) }
      : {}),
  };
}

/**
 * Close an upstream's connections (its agent's and its pool's); requests in flight fail.
 * The upstream can still be used afterwards (new connections are opened).
 *
 * @example
 * closeUpstream(candidate);
 */
export function closeUpstream(up: Pick<Upstream, 'agent' | 'pool'>): void {
  up.agent.destroy();
  up.pool?.destroy();
}

/**
 * The Host header a backend gets under its policy: the client's (`clientHost`, when
 * there is one) or the upstream URL's host.
 *
 * @example
 * hostFor(candidate, 'shop.example'); // 'shop.example' under `client`, '127.0.0.1:3002' under `upstream`
 */
export function hostFor(up: Pick<Upstream, 'host' | 'upstreamHost'>, clientHost: string | string[] | undefined): string {
  const h = Array.isArray(clientHost) ? clientHost[0] : clientHost;
  return up.host === 'client' && h ? h : up.upstreamHost;
}
