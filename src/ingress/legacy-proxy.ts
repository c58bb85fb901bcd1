import http from 'node:http';
import https from 'node:https';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { TandemConfig } from '../config';
import { getState } from './exchange-state';

export interface LegacyProxyHooks {
  /** Called once legacy's response has been streamed to the client in full. */
  onExchangeComplete(req: http.IncomingMessage, res: http.ServerResponse, proxyRes: http.IncomingMessage): void;
  /** Called when the legacy response is not one to shadow (e.g. an event stream). */
  onSkip(req: http.IncomingMessage, reason: string): void;
  /** Legacy could not be reached or failed mid-response (the client gets the proxy's 502/504). */
  onError?(req: http.IncomingMessage, err: Error & { code?: string }): void;
}

/**
 * The primary path: http-proxy-middleware streaming to legacy over keep-alive
 * sockets, status, headers and body untouched. For requests being shadowed it also
 * tees request and response chunks into bounded captures; nothing is parsed here.
 *
 * @example
 * const proxy = createLegacyProxy(config, { onExchangeComplete, onSkip });
 */
export function createLegacyProxy(config: Pick<TandemConfig, 'legacy'>, hooks: LegacyProxyHooks): RequestHandler & { close(): void } {
  const target = new URL(config.legacy.url);
  const Agent = target.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256 });
  /** Nothing to compare when legacy failed: counted once as `skipped:legacy_error`. */
  const legacyFailed = (req: http.IncomingMessage) => {
    const state = getState(req);
    if (!state || state.skip) return;
    state.skip = 'legacy_error';
    hooks.onSkip(req, 'legacy_error');
  };
  const proxy = createProxyMiddleware({
    target: config.legacy.url,
    agent,
    ws: true,
    xfwd: true,
    proxyTimeout: config.legacy.timeoutMs,
    // Observe errors through a plugin: an `on.error` handler would replace http-proxy-middleware's
    // error response, and a client whose legacy is down would then wait forever instead of getting 502/504.
    plugins: [(proxyServer) => proxyServer.on('error', (err, req) => (legacyFailed(req), hooks.onError?.(req, err)))],
    on: {
      proxyReq(proxyReq, req) {
        const state = getState(req);
        if (!state) return;
        proxyReq.setHeader('x-request-id', state.requestId);
        if (req.headers['content-length'] !== '0' && (req.headers['content-length'] || req.headers['transfer-encoding'])) {
          req.on('data', (c: Buffer) => state.requestBody.push(c));
        }
      },
      proxyRes(proxyRes, req, res) {
        // Legacy died mid-body: close the client's connection so it sees the cut instead of waiting forever.
        proxyRes.once('aborted', () => (legacyFailed(req), res.destroy()));
        const state = getState(req);
        if (!state) return;
        if (String(proxyRes.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          state.skip = 'event_stream';
          return hooks.onSkip(req, 'event_stream');
        }
        proxyRes.on('data', (c: Buffer) => state.responseBody.push(c));
        res.once('finish', () => hooks.onExchangeComplete(req, res, proxyRes));
      },
    },
  });
  return Object.assign(proxy, { close: () => agent.destroy() });
}
