import type { Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, launchChromium, signIn } from '../report/browser';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend, candidateProduct, legacyProduct } from './helpers';

jest.setTimeout(120_000);

const XSS_CUSTOMER = '<img src=x onerror="window.__pwned=1">';

describe('the rollout page of the web report', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: legacyProduct(req.url.split('/').pop()!) }));
    candidate = await startBackend((req) => ({ body: candidateProduct(req.url.split('/').pop()!) }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      customer: { from: 'header', name: 'x-customer' },
      routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
    });
    expect(
      (await apiSend(t.reportUrl, 'PUT', `/rollout/routes/product/customers/${encodeURIComponent(XSS_CUSTOMER)}`, { phase: 'shadow' }))
        .status,
    ).toBe(200);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, t.reportUrl);
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('shows each route with its phase, readiness and overrides, escaping what it shows', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/rollout`);
    await page.waitForSelector('section.rollout-route[data-route=product]');
    expect(await page.$eval('section[data-route=product] select[name=phase]', (s) => (s as unknown as { value: string }).value)).toBe(
      'shadow',
    );
    await page.waitForSelector('section[data-route=product] .readiness:has-text("not ready: nothing compared in the window")');
    expect(await page.locator('section[data-route=product] table.customers td').first().innerText()).toBe(XSS_CUSTOMER);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('offers to force a move the readiness guard refused, and records it', async () => {
    await page.fill('section[data-route=product] input[name=customer]', 'acme');
    await page.selectOption('section[data-route=product] select[name=customerPhase]', 'candidate');
    await page.click('section[data-route=product] button.add-customer');
    await page.waitForSelector('.rollout-status .notice.warn:has-text("is not ready for candidate")');
    await page.click('.rollout-status button.force');
    await page.waitForSelector('section[data-route=product] tr[data-customer=acme]');
    const state = await apiSend(t.reportUrl, 'GET', '/rollout');
    expect(state.body.routes.product.customers.acme).toBe('candidate');
    const audit = await apiSend(t.reportUrl, 'GET', '/rollout/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({ actor: 'report', target: 'product/customers/acme', next: 'candidate', forced: true });
    await page.waitForSelector('table.audit td:has-text("product/customers/acme")');
    await page.screenshot({ path: path.join(ARTIFACTS, 'rollout.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('changes only what was edited on a route', async () => {
    await page.selectOption('section[data-route=product] select[name=phase]', 'legacy');
    await page.click('section[data-route=product] button.save-route');
    await page.waitForSelector('.rollout-status:has-text("route product: done")');
    const { body } = await apiSend(t.reportUrl, 'GET', '/rollout/audit?limit=2');
    expect(body.entries[0]).toMatchObject({
      actor: 'report',
      action: 'route.phase',
      target: 'product',
      previous: 'shadow',
      next: 'legacy',
    });
    expect(body.entries[1].action).toBe('customer.phase');
    expect(pageErrors).toEqual([]);
  });
});
