import { startBackend, type TestBackend } from '../support/backends';
import { freePort } from '../support/processes';
import { request, type TestTandem } from '../support/tandem';
import { tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { sleep, waitUntil } from './helpers/load';

describe('limits: loop protection', () => {
  let legacy: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { id: r.url } }));
    // The worst case: the candidate is Tandem itself, so every shadow request comes back in.
    const port = await freePort();
    t = await tandemFor(legacy.url, `http://127.0.0.1:${port}`, { listen: { port, host: '127.0.0.1' } });
  });
  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('never shadows a request that carries the shadow marker, even when the candidate points back at Tandem', async () => {
    for (let i = 0; i < 10; i++) expect((await request(`${t.url}/products/${i}`)).status).toBe(200);
    const c = await waitUntil(
      () => t.counters('product'),
      (c) => c.compared === 10,
    );
    await sleep(300); // a loop would keep adding requests; give it time to show
    const settled = await t.counters('product');
    recordFigures('loop-protection', { sent: 10, counters: settled, legacyRequests: legacy.seen.length });

    // 10 client requests plus their 10 shadows, which came back in and were not shadowed again.
    expect(settled).toEqual({ seen: 20, shadowed: 10, 'skipped:loop': 10, compared: 10, match: 10 });
    expect(c.compared).toBe(10);
    expect(legacy.seen).toHaveLength(20);
    expect(legacy.seen.filter((r) => r.headers['x-tandem-shadow'] === '1')).toHaveLength(10);
  });

  it('serves a marked client request from legacy without shadowing it', async () => {
    const before = await t.counters('product');
    const res = await request(`${t.url}/products/99`, { headers: { 'x-tandem-shadow': '1' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ id: '/products/99' });
    const after = await waitUntil(
      () => t.counters('product'),
      (c) => c.seen === before.seen + 1,
    );
    expect(after['skipped:loop']).toBe(before['skipped:loop'] + 1);
    expect(after.shadowed).toBe(before.shadowed);
  });
});
