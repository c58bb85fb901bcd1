import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { launchChromium, signIn } from './browser';

/** What `useRateRig` sets up: `products` GETs of `/p/1…/p/N` for customer `acme`, one of them differing. */
export interface RateRigOptions {
  /** How many products are requested (and compared). */
  products: number;
  /** The product number whose candidate price differs (the one mismatch). */
  differing: number;
  /** `rollout.threshold` (a fraction, 0–1). */
  threshold: number;
}

/**
 * A Tandem with real backends, a worker and Redis, after `products` product GETs of which one
 * differs (`product` route, customer `acme` by `x-customer-id`; rollout window 200, at least 20
 * compared), and a signed-in browser page on the report's overview. Set up in `beforeAll`,
 * closed in `afterAll`; read `t` and `page` inside tests.
 *
 * @example
 * const rig = useRateRig({ products: 96, differing: 96, threshold: 0.99 }); // 95/96 matched
 * it('…', async () => expect((await rig.t.api('/routes')).routes[0].compared).toBe(96));
 */
export function useRateRig(o: RateRigOptions): { t: TestTandem; page: Page } {
  const rig = {} as { t: TestTandem; page: Page };
  let legacy: TestBackend | undefined;
  let candidate: TestBackend | undefined;
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    candidate = await startBackend((req) => ({ body: { id: req.url, price: req.url === `/p/${o.differing}` ? 11 : 10 } }));
    rig.t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer-id' },
      rollout: { threshold: o.threshold, window: 200, minCompared: 20 },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    for (let i = 1; i <= o.products; i++) await request(`${rig.t.url}/p/${i}`, { headers: { 'x-customer-id': 'acme' } });
    await rig.t.waitFor(async () => (await rig.t.counters('product')).compared === o.products, 30_000);
    chromium = await launchChromium();
    rig.page = await chromium.context.newPage();
    await signIn(rig.page, rig.t.reportUrl, 'table#routes tbody tr[data-route=product]');
  });
  afterAll(async () => {
    await chromium?.close();
    await rig.t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });
  return rig;
}
