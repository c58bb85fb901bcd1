import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/**
 * The reference every Tandem figure is compared with: a plain express +
 * http-proxy-middleware proxy from the same dependency versions and with the same
 * settings as Tandem's primary path (keep-alive agent of 512 sockets, `xfwd`,
 * server keep-alive 65 s), and no shadowing.
 *
 * @example
 * const ref = await startReferenceProxy('http://127.0.0.1:3001');
 * await fetch(`${ref.url}/api/2k/1`);
 * await ref.close();
 */
export async function startReferenceProxy(target: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256 });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(createProxyMiddleware({ target, agent, xfwd: true }));
  const server = await new Promise<http.Server>((done, fail) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? fail(err) : done(s)));
  });
  server.keepAliveTimeout = 65_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
        agent.destroy();
      }),
  };
}

if (require.main === module) {
  const target = process.argv[2];
  const port = Number(process.argv[3] ?? 0);
  void startReferenceProxy(target, port).then((ref) => {
    process.stdout.write(`${JSON.stringify({ url: ref.url })}\n`);
    process.on('SIGTERM', () => void ref.close().then(() => process.exit(0)));
  });
}
