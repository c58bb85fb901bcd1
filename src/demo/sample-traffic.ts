import http from 'node:http';

/**
 * Send the demo's sample traffic through Tandem: product reads (ids 1-5 and a
 * missing 9), a product list (not a configured route) and a few writes (not mirrored).
 *
 * @example
 * await driveSampleTraffic('http://127.0.0.1:8080', 200);
 */
export async function driveSampleTraffic(base: string, total: number): Promise<{ total: number; failed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let failed = 0;
  const plan = Array.from({ length: total }, (_, i) =>
    i % 20 === 19 ? { method: 'POST', path: '/api/v1/orders', body: '{"productId":1}' }
      : i % 20 === 18 ? { method: 'GET', path: '/api/v1/products' }
        : { method: 'GET', path: `/api/v1/products/${i % 17 === 16 ? 9 : (i % 5) + 1}` },
  );
  for (let i = 0; i < plan.length; i += 8) {
    await Promise.all(
      plan.slice(i, i + 8).map(
        (p) =>
          new Promise<void>((done) => {
            const req = http.request(`${base}${p.path}`, { method: p.method, agent, headers: { 'content-type': 'application/json', 'x-customer-id': `customer-${(i % 3) + 1}` } }, (res) => {
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
  return { total, failed };
}
