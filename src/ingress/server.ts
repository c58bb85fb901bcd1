import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import type { TandemConfig, TandemOptions } from '../config';
import { createConfig } from '../config';
import type { Logger } from '../log';
import { serveUpgradesOn, tandem, type TandemMiddleware } from './middleware';
import { trackForShutdown } from './graceful-close';
import { listenAside } from './side-listeners';
import { ListenError } from './listen-error';

export interface TandemServer {
  readonly server: Server;
  readonly middleware: TandemMiddleware;
  /** `http://host:port` the server listens on. */
  readonly url: string;
  /** `http://host:port` of the report's own listener (the proxy's `url` when `report.listen` is `proxy`). */
  readonly reportUrl: string;
  /** `http://host:port` of the metrics and health listener (the proxy's `url` when `ops.listen` is `proxy`). */
  readonly opsUrl: string;
  readonly port: number;
  /** Stop accepting, finish in-flight requests (cut after `legacy.timeoutMs` + 1 s) and shadows, flush the queue, stop. */
  close(): Promise<void>;
}

/**
 * Tandem as a standalone server on `listen.host:listen.port` (port 0 picks a free one),
 * with the report and the operations endpoints on listeners of their own (see `listenAside`).
 * `o.port` overrides `listen.port` (what `tandem serve -p` passes).
 *
 * A start that fails gives back everything it took: when a listener cannot bind, the
 * runtime (its Redis connections, and the embedded redis-server with its data-folder
 * lock) is closed before the error is thrown, so a second start in the same process
 * (the demo's retry on a free port) finds the folder free. A listener that cannot bind
 * throws `ListenError` (`ERR_TANDEM_LISTEN_FAILED`), naming the listener (proxy, report,
 * ops), where its port came from and how to change it.
 *
 * @example
 * const srv = await startServer(config);
 * console.log(`proxying on ${srv.url}`);
 * await srv.close();
 */
export async function startServer(
  options: TandemOptions | TandemConfig,
  o: { worker?: boolean; log?: Logger; port?: number } = {},
): Promise<TandemServer> {
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
  // Every header line of a request, as sent (Node keeps about 1,000 and drops the rest, framing
  // the body by lines it dropped: see `headerLinesMayBeCut`); the head stays bounded by maxHeaderSize.
  server.maxHeadersCount = 0;
  const wanted = o.port ?? config.listen.port;
  const from = o.port !== undefined ? `-p ${o.port}` : 'listen.port';
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(wanted, config.listen.host, () => (server.off('error', fail), done()));
    });
  } catch (e) {
    await middleware.close();
    throw new ListenError(e as NodeJS.ErrnoException, { listener: 'proxy', host: config.listen.host, port: wanted, from });
  }
  server.keepAliveTimeout = 65_000;
  const graceful = trackForShutdown(server);
  serveUpgradesOn(server, (req, socket, head) => middleware.upgrade(req, socket, head));
  const { port } = server.address() as AddressInfo;
  const host = config.listen.host === '0.0.0.0' || config.listen.host === '::' ? '127.0.0.1' : config.listen.host;
  const url = `http://${host}:${port}`;
  const aside = await listenAside(middleware, config, wanted, from).catch(async (e: Error) => {
    await graceful.close(0);
    await middleware.close();
    throw e;
  });
  let closing: Promise<void> | null = null;
  return {
    server,
    middleware,
    url,
    reportUrl: aside.reportUrl ?? url,
    opsUrl: aside.opsUrl ?? url,
    port,
    close() {
      closing ??= (async () => {
        // In-flight requests get as long as a request may wait for legacy; then the rest (e.g. endless streams) is cut.
        await Promise.all([graceful.close(config.legacy.timeoutMs + 1000), aside.close()]);
        await middleware.close();
      })();
      return closing;
    },
  };
}
