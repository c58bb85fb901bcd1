import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sideListenPort, type TandemConfig } from '../config';
import { trackForShutdown } from './graceful-close';
import type { TandemMiddleware } from './middleware';
import { ListenError, type ListenerOrigin } from './listen-error';

/**
 * The report's and the operations endpoints' own listeners, beside the proxy's.
 *
 * @example
 * const aside = await listenAside(mw, config, 8080);
 * aside.reportUrl; // 'http://127.0.0.1:8081'
 */
export interface SideListeners {
  /** `http://host:port` of the report's listener; undefined when it is mounted on the proxy. */
  readonly reportUrl?: string;
  /** `http://host:port` of the operations listener; undefined when it is on the proxy. */
  readonly opsUrl?: string;
  close(): Promise<void>;
}

/**
 * Start the report's listener (`report.listen`) and the operations listener (`ops.listen`),
 * unless they are mounted on the proxy (`'proxy'`). Without a port they take the proxy's
 * port + 1 (report) and + 2 (operations), or a free port when the proxy's is 0. The report
 * then has an origin of its own: no page the proxied application serves can read its
 * session or call its API (requests from another origin are refused; see `reportAuth`).
 * `proxyFrom` says where `proxyPort` came from (`listen.port`, `-p 20199`), for errors.
 * A listener that cannot bind throws `ListenError` (`ERR_TANDEM_LISTEN_FAILED`), naming it and
 * the origin of its port (`proxy port 20199 (-p 20199) + 1`); the other one is closed first.
 *
 * @example
 * const aside = await listenAside(mw, config, 8080);
 * log.info(`report: ${aside.reportUrl}${config.report.path}/`);
 */
export async function listenAside(
  mw: TandemMiddleware,
  config: TandemConfig,
  proxyPort: number,
  proxyFrom = 'listen.port',
): Promise<SideListeners> {
  const servers: { close(ms: number): Promise<void> }[] = [];
  const track = (server: Server) => {
    const g = trackForShutdown(server);
    servers.push({ close: (ms) => (server.listening ? g.close(ms) : Promise.resolve()) });
  };
  const portFor = (listen: { port?: number }, offset: 1 | 2) => sideListenPort(listen, proxyPort, offset);
  const origin = (listener: 'report' | 'ops', l: { host: string; port?: number }, offset: 1 | 2): ListenerOrigin => ({
    listener,
    host: l.host,
    port: portFor(l, offset),
    from:
      l.port !== undefined
        ? `${listener}.listen.port`
        : `proxy port ${proxyPort} (${proxyFrom}) + ${offset}, as no ${listener}.listen.port is set`,
  });
  const notFound = (res: ServerResponse) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  try {
    let reportUrl: string | undefined;
    let opsUrl: string | undefined;
    if (config.report.listen !== 'proxy') {
      const l = config.report.listen;
      const server = createServer((req, res) => mw.reportApp(req as never, res as never, () => notFound(res)));
      track(server);
      reportUrl = await listen(server, origin('report', l, 1));
    }
    if (config.ops.listen !== 'proxy') {
      const l = config.ops.listen;
      const server = createServer((req, res) => mw.ops(req, res) || notFound(res));
      track(server);
      opsUrl = await listen(server, origin('ops', l, 2));
    }
    return { reportUrl, opsUrl, close: async () => void (await Promise.all(servers.map((s) => s.close(2000)))) };
  } catch (e) {
    await Promise.all(servers.map((s) => s.close(0)));
    throw e;
  }
}

async function listen(server: Server, at: ListenerOrigin): Promise<string> {
  const { host, port } = at;
  await new Promise<void>((done, fail) => {
    const failed = (e: NodeJS.ErrnoException) => fail(new ListenError(e, at));
    server.once('error', failed);
    server.listen(port, host, () => (server.off('error', failed), done()));
  });
  server.keepAliveTimeout = 65_000;
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${bound}`;
}
