import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { TandemConfig, TandemOptions } from '../config';
import { createConfig } from '../config';
import type { Logger } from '../log';
import { tandem, type TandemMiddleware } from './middleware';

export interface TandemServer {
  readonly server: Server;
  readonly middleware: TandemMiddleware;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, finish in-flight requests and shadows, flush the queue, stop. */
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
export async function startServer(options: TandemOptions | TandemConfig, o: { worker?: boolean; log?: Logger } = {}): Promise<TandemServer> {
  const config = createConfig(options);
  const middleware = tandem(config, o);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(middleware);
  const server = await new Promise<Server>((done, fail) => {
    const s = app.listen(config.listen.port, config.listen.host, (err?: Error) => (err ? fail(err) : done(s)));
  });
  server.keepAliveTimeout = 65_000;
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
        const stopped = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const drain = setInterval(() => server.closeIdleConnections(), 100);
        await stopped;
        clearInterval(drain);
        await middleware.close();
      })();
      return closing;
    },
  };
}
