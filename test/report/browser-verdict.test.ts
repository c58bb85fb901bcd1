import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { ARTIFACTS, launchChromium, signIn } from './browser';

jest.setTimeout(120_000);

/**
 * The route page's numbers, with real servers, a worker and a browser (issue 16):
 * a field-tree node counts the comparisons in which it or anything below it differed
 * (never the sum of its children), and errors have their own list, like mismatches.
 */
describe('route page: field-tree totals and the errors list', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  const items = (changed: boolean) =>
    [1, 2, 3, 4].map((id) => ({ id, name: changed ? `Item ${id}` : `item ${id}`, price: changed ? id + 0.5 : id }));

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      if (req.url.startsWith('/many')) return { body: Array.from({ length: 1500 }, (_, i) => i) };
      const m = /^\/(lists|flaky)\/(\d+)/.exec(req.url);
      if (!m) return null;
      return m[1] === 'lists' ? { headers: { 'x-a': 'a', 'x-b': 'b' }, body: { items: items(false) } } : { body: { ok: true } };
    });
    candidate = await startBackend((req) => {
      if (req.url.startsWith('/many')) return { body: Array.from({ length: 1500 }, (_, i) => -i - 1) };
      const m = /^\/(lists|flaky)\/(\d+)/.exec(req.url);
      if (!m) return null;
      const n = Number(m[2]);
      // lists 1-3 differ in two headers and in two fields of every item; 4-6 are equal
      if (m[1] === 'lists')
        return n <= 3
          ? { headers: { 'x-a': 'A', 'x-b': 'B' }, body: { items: items(true) } }
          : { headers: { 'x-a': 'a', 'x-b': 'b' }, body: { items: items(false) } };
      return n <= 2 ? { status: 500, body: { error: 'boom' } } : n === 3 ? { body: { ok: false } } : { body: { ok: true } };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'lists', match: 'GET /lists/:id', compare: { headers: ['x-a', 'x-b'] } },
        { name: 'flaky', match: 'GET /flaky/:id' },
        { name: 'many', match: 'GET /many' },
      ],
    });
    for (let i = 1; i <= 6; i++) await request(`${t.url}/lists/${i}`);
    for (let i = 1; i <= 5; i++) await request(`${t.url}/flaky/${i}`);
    await request(`${t.url}/many`);
    await t.waitFor(
      async () =>
        (await t.counters('lists')).compared === 6 &&
        (await t.counters('flaky')).compared === 5 &&
        (await t.counters('many')).compared === 1,
      20_000,
    );
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, t.reportUrl, 'table#routes tbody tr[data-route]');
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `verdict-${name}.png`), fullPage: true });

  it('the API counts each comparison once per node: 3 of 6 differ under items[*] and under $headers', async () => {
    const fields = await t.api('/routes/lists/fields');
    expect(fields.compared).toBe(6);
    const find = (nodes: any[], p: string): any => nodes.map((n) => (n.path === p ? n : find(n.children, p))).find(Boolean);
    expect(find(fields.tree, 'items[*].price')).toMatchObject({ differs: 3, totalDiffers: 3 });
    expect(find(fields.tree, 'items[*].name')).toMatchObject({ differs: 3, totalDiffers: 3 });
    expect(find(fields.tree, 'items[*]')).toMatchObject({ differs: 0, totalDiffers: 3 });
    expect(find(fields.tree, 'items')).toMatchObject({ totalDiffers: 3 });
    expect(find(fields.tree, '$headers')).toMatchObject({ totalDiffers: 3 });
    expect(find(fields.tree, '$headers.x-a')).toMatchObject({ totalDiffers: 3 });
  });

  it('the route page shows a parent as the share of comparisons where anything below it differed', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/lists`);
    await page.waitForSelector('table#fields tr[data-path="items[*]"]');
    for (const p of ['items', 'items[*]', '$headers']) {
      const row = page.locator(`table#fields tr[data-path="${p}"]`);
      expect(await row.locator('td.differs').innerText()).toBe('3');
      expect(await row.locator('td.n').nth(1).innerText()).toBe('50.0%');
    }
    await shot('field-tree');
  });

  it('lists the route errors on the route page, each class linked to its full list', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/flaky`);
    await page.waitForSelector('section#errors table#errors-list tbody tr[data-id]');
    const rows = page.locator('section#errors table#errors-list tbody tr[data-id]');
    expect(await rows.count()).toBe(2);
    expect(await page.locator('section#errors table#errors-list tbody').innerText()).toContain('candidate answered 500');
    // the mismatch list keeps its place beside it
    expect(await page.locator('section#list table#results tbody tr[data-id]').count()).toBe(1);
    await shot('errors-list');
    await page.click('section#errors .error-classes a[data-class=candidate_error]');
    await page.waitForURL(/class=candidate_error/);
    await page.waitForSelector('section#list table#results tbody tr[data-id]');
    expect(await page.locator('section#list table#results tbody tr[data-id]').count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it('the mismatch page shows the kept differences and says how many more there were', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/many`);
    await page.locator('section#list table#results a.open').first().click();
    await page.waitForSelector('#more-differences');
    expect(await page.locator('table#differences tbody tr').count()).toBe(1000);
    expect(await page.locator('#more-differences').innerText()).toMatch(/^and 500 more, counted but not kept/);
    expect(await page.locator('h2:has-text("Differences (1,500)")').count()).toBe(1);
    await shot('more-differences');
    expect(pageErrors).toEqual([]);
  });
});
