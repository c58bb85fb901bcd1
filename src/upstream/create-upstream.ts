import http from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ConnectionPool } from './connection-pool';
import { keepEveryHeaderLine } from './every-header-line';

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
   * The keep-alive connections `sendRequest` uses (see `ConnectionPool`), over TLS for an
   * `https:` URL: lighter per request than Node's client through `agent`, and bounded where
   * Node's client is not (interim heads, chunked framing: see `ResponseReader`).
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
 * An upstream with a `ConnectionPool` of `maxSockets` keep-alive connections (TLS for
 * `https:`) and a Node agent of as many. Close it with `closeUpstream`.
 *
 * @example
 * const candidate = createUpstream('http://127.0.0.1:3002', { timeoutMs: 2000, maxBodyBytes: 1 << 20, maxSockets: 64, host: 'client' });
 */
export function createUpstream(
  base: string,
  o: {
    timeoutMs: number;
    maxBodyBytes: number;
    maxSockets: number;
    host?: HostPolicy;
    upstreamHost?: string;
    /** CAs trusted for an `https:` URL instead of Node's (PEM): for tests; Tandem's config has no such setting. */
    ca?: string;
  },
): Upstream {
  const url = new URL(base);
  const https = url.protocol === 'https:';
  const Agent = https ? HttpsAgent : http.Agent;
  return {
    url,
    timeoutMs: o.timeoutMs,
    maxBodyBytes: o.maxBodyBytes,
    host: o.host ?? 'client',
    upstreamHost: o.upstreamHost ?? url.host,
    agent: keepEveryHeaderLine(
      new Agent({ keepAlive: true, maxSockets: o.maxSockets, maxFreeSockets: o.maxSockets, ...(o.ca ? { ca: o.ca } : {}) }),
    ),
    pool: new ConnectionPool(
      url.hostname.replace(/^\[|\]$/g, ''),
      Number(url.port || (https ? 443 : 80)),
      o.maxSockets,
      https ? (o.ca ? { ca: o.ca } : {}) : null,
    ),
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
