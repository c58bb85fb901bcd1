import type { Page } from 'playwright-core';
import { launchChromium, signIn } from '../report/browser';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend } from './helpers';

jest.setTimeout(120_000);

// A write route that is never mirrored can never be compared; without `customer:` overrides and groups never apply.
// Both are said as such, on the API, the overview and the Rollout page.
describe('what the report says about routes never compared and overrides that never apply', () => {
  let backend: TestBackend;
  let t: TestTandem;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    backend = await startBackend(() => ({ body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: backend.url },
      candidate: { url: backend.url },
      routes: [
        { name: 'product', match: 'GET /p/:id' },
        { name: 'orders', match: 'POST /orders' },
      ],
    });
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await signIn(page, t.reportUrl);
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await backend?.close();
  });

  it('a write route without mirrorWrites is "never compared", on the API, the guard, the overview and the Rollout page', async () => {
    const orders = await apiSend(t.reportUrl, 'GET', '/rollout/readiness/orders');
    expect(orders.body.notCompared).toBe('writes are not mirrored on this route (mirrorWrites is off)');
    expect((await apiSend(t.reportUrl, 'GET', '/rollout/readiness/product')).body.notCompared).toBeUndefined();
    const moved = await apiSend(t.reportUrl, 'PUT', '/rollout/routes/orders', { phase: 'candidate' });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/is not ready for candidate: never compared: writes are not mirrored/);

    await page.goto(`${t.reportUrl}/_tandem/#/`);
    const cell = page.locator('tr[data-route=orders] td.ready');
    await cell.waitFor();
    expect(await cell.innerText()).toMatch(/^never compared\s+writes are not mirrored on this route/);
    expect(await page.locator('tr[data-route=product] td.ready').innerText()).toMatch(/volume short/);

    await page.goto(`${t.reportUrl}/_tandem/#/rollout`);
    await page.waitForSelector(
      'section[data-route=orders] .readiness:has-text("not ready: never compared: writes are not mirrored on this route")',
    );
    await page.waitForSelector('section[data-route=product] .readiness:has-text("not ready: nothing compared in the window")');
  });

  it('without customer identification the Rollout page warns where overrides and groups are edited, and after each change', async () => {
    expect((await apiSend(t.reportUrl, 'GET', '/rollout')).body.customerWarning).toMatch(/^no `customer` identification is configured/);
    await page.goto(`${t.reportUrl}/_tandem/#/rollout`);
    await page.waitForSelector('section[data-route=product] .customer-warning');
    expect(await page.locator('section[data-route=product] .customer-warning').innerText()).toMatch(
      /^Warning: no `customer` identification is configured.*never apply/,
    );
    expect(await page.locator('section.rollout-groups .customer-warning').innerText()).toMatch(/never apply/);

    await page.fill('section.rollout-groups input[name=groupName]', 'beta');
    await page.fill('section.rollout-groups input[name=groupMembers]', 'acme, globex');
    await page.click('section.rollout-groups button.add-group');
    await page.waitForSelector('.rollout-status .notice.warn:has-text("group beta: done. Warning:")');
    expect(await page.locator('.rollout-status').innerText()).toMatch(/customer group "beta" defined; no `customer` identification/);
  });
});
