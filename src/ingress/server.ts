import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import type { TandemConfig, TandemOptions } from '../config';
import { createConfig } from '../config';
import type { Logger } from '../log';
import { tandem, type TandemMiddleware } from './middleware';
import { trackForShutdown } from './graceful-close';

export interface TandemServer {
  readonly server: Server;
  readonly middleware: TandemMiddleware;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, finish in-flight requests (cut after `legacy.timeoutMs` + 1 s) and shadows, flush the queue, stop. */
  close(): Promise<void>;
}

/**
 * Tandem as a standalone server on `listen.host:listen.port` (port 0 picks a free one).
 *
 * @example
 * const srv = await startServer(config);
 * console.log(`proxying on ${srv.url}`);
 * await srv.close();
 */
export async function startServer(options: TandemOptions | TandemConfig, o: { worker?: boolean; log?: Logger; port?: number } = {}): Promise<TandemServer> {
  const config = createConfig(options);
  const middleware = tandem(config, o);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(middleware);
  // Express only for the report: everything else is served directly (see `serveDirect`).
  const server = createServer(function tandemServer(req, res) {
    if (!middleware.serveDirect(req, res)) app(req, res);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? config.listen.port, config.listen.host, () => (server.off('error', fail), done()));
  });
  server.keepAliveTimeout = 65_000;
  const graceful = trackForShutdown(server);
  server.on('upgrade', (req, socket, head) => middleware.upgrade(req, socket, head));
  const { port } = server.address() as AddressInfo;
  const host = config.listen.host === '0.0.0.0' || config.listen.host === '::' ? '127.0.0.1' : config.listen.host;
  let closing: Promise<void> | null = null;
  return {
    server,
    middleware,
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        // In-flight requests get as long as a request may wait for legacy; then the rest (e.g. endless streams) is cut.
        await graceful.close(config.legacy.timeoutMs + 1000);
        await middleware.close();
      })();
      return closing;
    },
  };
}
