import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Closes an HTTP server gracefully; see `trackForShutdown`.
 *
 * @example
 * const graceful: GracefulClose = trackForShutdown(server);
 * await graceful.close(31_000);
 */
export interface GracefulClose {
  /** Responses not finished yet. */
  readonly active: number;
  /** Stop accepting and resolve once every connection is closed (cut after `graceMs`). */
  close(graceMs: number): Promise<void>;
}

/**
 * Track a server's responses so it can stop cleanly: on `close()` it stops accepting
 * connections, answers every request already in progress (or arriving on a kept-alive
 * connection) with `Connection: close`, so each client learns that the connection ends
 * instead of racing a reset, closes idle connections, and after `graceMs` cuts whatever is
 * left (an endless event stream, an open WebSocket).
 *
 * @example
 * const graceful = trackForShutdown(server);
 * process.once('SIGTERM', () => graceful.close(30_000).then(() => process.exit(0)));
 */
export function trackForShutdown(server: Server): GracefulClose {
  const active = new Set<ServerResponse>();
  const upgraded = new Set<Duplex>();
  let closing = false;
  server.on('upgrade', (_req, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) return lastOnConnection(res);
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  return {
    get active() {
      return active.size;
    },
    async close(graceMs) {
      closing = true;
      active.forEach(lastOnConnection);
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const drain = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => (server.closeAllConnections(), upgraded.forEach((s) => s.destroy())), graceMs);
      await stopped;
      clearInterval(drain);
      clearTimeout(deadline);
    },
  };
}

/** Make a response the last on its connection: `Connection: close`, whatever a proxy copied from upstream. */
function lastOnConnection(res: ServerResponse): void {
  if (res.headersSent) return;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    this.setHeader('connection', 'close');
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}
