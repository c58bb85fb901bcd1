import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { opsHandler, type OpsEndpoints } from './ops-handler';

/** A small HTTP server for metrics and health, for processes without the proxy (`tandem worker`). */
export interface OpsServer {
  /** `http://host:port` to reach it from this machine (127.0.0.1 when it listens on all interfaces). */
  url: string;
  /** The address it really listens on, as bound: `127.0.0.1:9465`, `0.0.0.0:9465` (all interfaces), `[::1]:9465`. */
  listening: string;
  close(): Promise<void>;
}

/**
 * Serve the operations endpoints on their own port (0 picks a free one); 404 for anything else.
 *
 * @example
 * const ops = await startOpsServer(9465, '127.0.0.1', { health, readiness, metrics: { path: '/metrics', text: () => m.text(), contentType: m.contentType } });
 * log.info({ metrics: `${ops.url}/metrics` }, 'serving metrics');
 */
export async function startOpsServer(port: number, host: string, endpoints: OpsEndpoints): Promise<OpsServer> {
  const handle = opsHandler(endpoints);
  const server = http.createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const { port: bound, address } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${bound}`,
    listening: `${address.includes(':') ? `[${address}]` : address}:${bound}`,
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}
