/**
 * The port a side listener (the report: offset 1; operations: offset 2) listens on: its
 * own `listen.port` when set, else the proxy's port + `offset` (0, a free port, when the
 * proxy's is 0). The one rule of `listenAside` and `tandem config check`.
 *
 * @example
 * sideListenPort({ host: '127.0.0.1' }, 8080, 1); // 8081
 */
export function sideListenPort(listen: { port?: number }, proxyPort: number, offset: 1 | 2): number {
  return listen.port ?? (proxyPort === 0 ? 0 : proxyPort + offset);
}
