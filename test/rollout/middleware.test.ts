import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { tandem, type TandemMiddleware } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { deletePrefix, testQueueConfig, testRedisConfig, uniquePrefix } from '../support/redis';
import { request } from '../support/tandem';
import { candidateProduct, legacyProduct } from './helpers';

describe('a custom customer resolver inside an express app', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let mw: TandemMiddleware;
  let server: Server;
  let url: string;
  const prefix = uniquePrefix('mw');

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: candidateProduct(req.url.split('/').pop()!) }));
    const app = express();
    app.use((req, _res, next) => {
      (req as unknown as { user?: { tenant: string } }).user = {
        tenant: String(req.headers['x-session'] ?? '').replace('session-of-', ''),
      };
      next();
    });
    mw = tandem(
      {
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { ...testRedisConfig(), prefix },
        queue: testQueueConfig(),
        log: { level: 'silent' },
        servedByHeader: false,
        customer: { resolve: (req) => (req.raw as { user?: { tenant: string } }).user?.tenant || undefined },
        routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
      },
      { worker: false },
    );
    app.use(mw);
    await mw.ready;
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await mw.runtime.rollout.service().setCustomer('product', 'acme', 'candidate', { actor: 'test', force: true });
  });

  afterAll(async () => {
    await new Promise((r) => (server.closeAllConnections(), server.close(r)));
    await mw?.close();
    await deletePrefix(prefix);
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('identifies the customer from what the app put on the request, and can leave the served-by header out', async () => {
    const acme = await request(`${url}/api/v1/products/5`, { headers: { 'x-session': 'session-of-acme' } });
    expect(JSON.parse(acme.body.toString())).toEqual({ id: 5, name: 'Product 5', price: 10, sku: 'SKU-5' });
    expect(acme.headers['x-served-by']).toBeUndefined();
    const other = await request(`${url}/api/v1/products/5`, { headers: { 'x-session': 'session-of-globex' } });
    expect(JSON.parse(other.body.toString())).toEqual(legacyProduct('5'));
  });
});
