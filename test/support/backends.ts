import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: unknown; raw?: Buffer | string; delayMs?: number };

/** A real HTTP server on 127.0.0.1 that records what it receives and answers from `handler`. */
export interface TestBackend {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startBackend(handler: (req: SeenRequest) => Reply | null): Promise<TestBackend> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(r);
      const reply = handler(r) ?? { status: 404, body: { error: 'not found' } };
      const send = () => {
        const body = reply.raw ?? JSON.stringify(reply.body ?? null);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
