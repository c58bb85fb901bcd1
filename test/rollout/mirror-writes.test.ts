import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend } from './helpers';

describe('writes are mirrored only on routes that say so', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  const post = (path: string, n: number, customer?: string) =>
    request(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(customer ? { 'x-customer': customer } : {}) },
      body: JSON.stringify({ n }),
    });
  const bodies = (b: TestBackend, path: string) =>
    b.seen.filter((r) => r.method === 'POST' && r.url === path).map((r) => JSON.parse(r.body).n);

  beforeAll(async () => {
    legacy = await startBackend(() => ({ status: 201, body: { by: 'legacy' } }));
    candidate = await startBackend(() => ({ status: 201, body: { by: 'candidate' } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      routes: [
        { name: 'order', match: 'POST /orders' },
        { name: 'mirrored', match: 'POST /mirrored', mirrorWrites: true },
      ],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('in shadow: a POST reaches the candidate only on a mirrorWrites route', async () => {
    expect((await post('/orders', 1)).status).toBe(201);
    expect((await post('/mirrored', 2)).status).toBe(201);
    await t.waitFor(async () => bodies(candidate, '/mirrored').length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(bodies(candidate, '/mirrored')).toEqual([2]);
    expect(bodies(candidate, '/orders')).toEqual([]);
    expect(bodies(legacy, '/orders')).toEqual([1]);
    expect((await t.counters('order'))['skipped:write']).toBe(1);
  });

  it('in candidate: a POST goes to the candidate only, or to both on a mirrorWrites route', async () => {
    for (const route of ['order', 'mirrored']) {
      expect(
        (await apiSend(t.reportUrl, 'PUT', `/rollout/routes/${route}/customers/acme`, { phase: 'candidate', force: true })).status,
      ).toBe(200);
    }
    const order = await post('/orders', 3, 'acme');
    expect(order.headers['x-served-by']).toBe('candidate');
    expect(JSON.parse(order.body.toString())).toEqual({ by: 'candidate' });
    const mirrored = await post('/mirrored', 4, 'acme');
    expect(mirrored.headers['x-served-by']).toBe('candidate');
    await t.waitFor(async () => bodies(legacy, '/mirrored').includes(4));
    await new Promise((r) => setTimeout(r, 200));
    expect(bodies(candidate, '/orders')).toEqual([3]);
    expect(bodies(legacy, '/orders')).toEqual([1]);
    expect(bodies(candidate, '/mirrored')).toEqual([2, 4]);
    expect(bodies(legacy, '/mirrored')).toEqual([2, 4]);
  });
});
