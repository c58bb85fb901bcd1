import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { launchChromium, signIn } from './browser';

jest.setTimeout(120_000);

/**
 * A rate's colour is the readiness guard's verdict on it (`rollout.threshold`), as the API
 * says it (`matchRateMeetsThreshold`), never a cut-off of the page's own. Before, the pages
 * coloured a rate green from 99% whatever the threshold: at threshold 99.9% a route with
 * 99 of 100 matched was green beside "not ready: match rate short". Real backends, a
 * worker, Redis and a browser.
 */
describe('a rate is coloured by the rollout threshold the API judges it by', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    // one product of 100 differs: 99.0% matched, below the 99.9% threshold
    candidate = await startBackend((req) => ({ body: { id: req.url, price: req.url === '/p/100' ? 11 : 10 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer-id' },
      rollout: { threshold: 0.999, window: 200, minCompared: 20 },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    for (let i = 1; i <= 100; i++) await request(`${t.url}/p/${i}`, { headers: { 'x-customer-id': 'acme' } });
    await t.waitFor(async () => (await t.counters('product')).compared === 100, 30_000);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await signIn(page, t.reportUrl, 'table#routes tbody tr[data-route=product]');
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('the API says the rate is short of the threshold, and the pages colour it so', async () => {
    const row = (await t.api('/routes')).routes.find((r: { name: string }) => r.name === 'product');
    expect(row).toMatchObject({ compared: 100, matchRate: 0.99, matchRateMeetsThreshold: false });
    expect(row.readiness).toMatchObject({ ready: false, threshold: 0.999 });
    const cust = (await t.api('/customers?route=product')).items.find((r: { customer: string }) => r.customer === 'acme');
    expect(cust).toMatchObject({ matchRate: 0.99, matchRateMeetsThreshold: false });

    expect(await page.locator('tr[data-route=product] td.rate').getAttribute('class')).toBe('rate bad');
    await page.goto(`${t.reportUrl}/_tandem/#/customers?route=product`);
    await page.waitForSelector('table#customers tr[data-customer=acme][data-route=product]');
    expect(await page.locator('table#customers tr[data-customer=acme][data-route=product] td.rate').getAttribute('class')).toBe('rate bad');
  });
});
