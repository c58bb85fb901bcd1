import http from 'node:http';

/**
 * Send the demo's sample traffic through Tandem: product reads (ids 1-5 and a
 * missing 9), a product list (not a configured route) and a few writes (not mirrored).
 * `unrouted` counts the product-list requests (`GET /api/v1/products`), which no demo
 * route matches: legacy answers them and no route's row counts them.
 *
 * @example
 * await driveSampleTraffic('http://127.0.0.1:8080', 200);
 */
export async function driveSampleTraffic(base: string, total: number): Promise<{ total: number; failed: number; unrouted: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let failed = 0;
  const plan = sampleTrafficPlan(total);
  for (let i = 0; i < plan.length; i += 8) {
    await Promise.all(
      plan.slice(i, i + 8).map(
        (p) =>
          new Promise<void>((done) => {
            const req = http.request(`${base}${p.path}`, { method: p.method, agent, headers: p.headers }, (res) => {
              if ((res.statusCode ?? 500) >= 500) failed++;
              res.resume().on('end', done);
            });
            req.on('error', () => (failed++, done()));
            req.end(p.body);
          }),
      ),
    );
  }
  agent.destroy();
  return { total, failed, unrouted: plan.filter((p) => p.path === UNROUTED_PATH).length };
}

/** The product list: no demo route matches it (proxied to legacy, in no route's row). */
const UNROUTED_PATH = '/api/v1/products';

/**
 * The demo's requests, in order: what `driveSampleTraffic` sends (and what a dry run of the demo reads).
 *
 * @example
 * sampleTrafficPlan(20)[19]; // { method: 'POST', path: '/api/v1/orders', headers: {…}, body: '{"productId":1}' }
 */
export function sampleTrafficPlan(total: number): { method: string; path: string; headers: Record<string, string>; body?: string }[] {
  return Array.from({ length: total }, (_, i) => {
    const headers = { 'content-type': 'application/json', 'x-customer-id': `customer-${((i - (i % 8)) % 3) + 1}` };
    if (i % 20 === 19) return { method: 'POST', path: '/api/v1/orders', headers, body: '{"productId":1}' };
    if (i % 20 === 18) return { method: 'GET', path: UNROUTED_PATH, headers };
    return { method: 'GET', path: `/api/v1/products/${i % 17 === 16 ? 9 : (i % 5) + 1}`, headers };
  });
}
