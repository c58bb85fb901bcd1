import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonDocument, SIZES, type SizeName } from './payloads';

/** How a benchmark upstream answers. */
export interface UpstreamOptions {
  /** Added to every response, e.g. 50 for "candidate 50 ms slower than legacy". */
  delayMs: number;
  /** Serve the differing variant of each document (a regressed candidate). */
  differ: boolean;
}

/**
 * A JSON backend for the benchmark on 127.0.0.1: `GET /api/2k/:id` and `/api/20k/:id`
 * answer a fixed 2 KB or 20 KB JSON document (bodies built once), anything else 404.
 *
 * @example
 * const up = await startUpstream({ delayMs: 0, differ: false }); // up.url = 'http://127.0.0.1:PORT'
 */
export async function startUpstream(o: UpstreamOptions, port = 0): Promise<{ url: string; server: http.Server; close(): Promise<void> }> {
  const bodies = new Map<string, Buffer>(Object.entries(SIZES).map(([name, bytes]) => [name, jsonDocument(bytes, { differ: o.differ })]));
  const server = http.createServer((req, res) => {
    const size = /^\/api\/([0-9a-z]+)\//.exec(req.url ?? '')?.[1] as SizeName | undefined;
    const body = size ? bodies.get(size) : undefined;
    const send = () => {
      if (!body) {
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': '21' }).end('{"error":"not found"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
    };
    req.resume();
    req.once('end', () => (o.delayMs > 0 ? setTimeout(send, o.delayMs) : send()));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

if (require.main === module) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  void startUpstream({ delayMs: Number(arg('delay') ?? 0), differ: arg('differ') === '1' }).then((up) => {
    process.stdout.write(`${JSON.stringify({ url: up.url })}\n`);
    process.on('SIGTERM', () => void up.close().then(() => process.exit(0)));
  });
}
