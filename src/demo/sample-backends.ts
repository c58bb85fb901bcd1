import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny JSON API on 127.0.0.1 used by the demo, the tests' examples and the benchmark. */
export interface SampleBackend {
  url: string;
  requests: number;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, url: URL) => { status: number; body: unknown; headers?: Record<string, string> } | null;

/**
 * Serve JSON from a handler on a free loopback port.
 *
 * @example
 * const legacy = await serveJson((req, url) => ({ status: 200, body: { path: url.pathname } }));
 */
export async function serveJson(handler: Handler, port = 0): Promise<SampleBackend> {
  const backend = { url: '', requests: 0, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    backend.requests++;
    req.resume();
    req.on('end', () => {
      const out = handler(req, new URL(req.url ?? '/', 'http://x')) ?? { status: 404, body: { error: 'not found' } };
      const body = JSON.stringify(out.body);
      res.writeHead(out.status, { 'content-type': 'application/json', date: new Date().toUTCString(), ...out.headers });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return backend;
}

const PRODUCTS = [
  { id: 1, name: 'Espresso cup', price: 9.5, currency: 'EUR', stock: 40 },
  { id: 2, name: 'Milk jug', price: 14, currency: 'EUR', stock: 12 },
  { id: 3, name: 'Grinder', price: 129, currency: 'EUR', stock: 3 },
  { id: 4, name: 'Tamper', price: 24.9, currency: 'EUR', stock: 0 },
  { id: 5, name: 'Scale', price: 39, currency: 'EUR', stock: 8 },
];

/**
 * The demo's legacy API: `GET /api/v1/products/:id` and `GET /api/v1/products`.
 *
 * @example
 * const legacy = await startSampleLegacy();
 */
export function startSampleLegacy(port = 0): Promise<SampleBackend> {
  return serveJson((req, url) => {
    const one = /^\/api\/v1\/products\/(\d+)$/.exec(url.pathname);
    if (one) {
      const p = PRODUCTS.find((x) => x.id === Number(one[1]));
      return p ? { status: 200, body: { ...p, updatedAt: new Date().toISOString() } } : { status: 404, body: { error: 'no such product' } };
    }
    if (url.pathname === '/api/v1/products') return { status: 200, body: PRODUCTS };
    if (req.method === 'POST' && url.pathname === '/api/v1/orders') return { status: 201, body: { id: 'o-1', status: 'created' } };
    return null;
  }, port);
}

/**
 * The demo's candidate: the same data under `/v2/products/:id` with `title` for
 * `name`, and three planted differences: product 3's price is wrong, product 5 has
 * lost its currency, and every product gains a `sku` (additive, not a regression).
 * `planted: false` leaves out the first two (the same data, only the v2 shape).
 *
 * @example
 * const candidate = await startSampleCandidate();
 */
export function startSampleCandidate(port = 0, o: { planted?: boolean } = {}): Promise<SampleBackend> {
  const planted = o.planted ?? true;
  return serveJson((req, url) => {
    const one = /^\/v2\/products\/(\d+)$/.exec(url.pathname);
    if (one) {
      const p = PRODUCTS.find((x) => x.id === Number(one[1]));
      if (!p) return { status: 404, body: { error: 'no such product' } };
      const { name, ...rest } = p;
      const body: Record<string, unknown> = { ...rest, title: name, sku: `SKU-${p.id}`, updatedAt: new Date().toISOString() };
      if (planted && p.id === 3) body.price = 12.9;
      if (planted && p.id === 5) delete body.currency;
      return { status: 200, body };
    }
    if (url.pathname === '/api/v1/products') return { status: 200, body: PRODUCTS };
    return null;
  }, port);
}
