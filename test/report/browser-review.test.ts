import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { ARTIFACTS, launchChromium } from './browser';

jest.setTimeout(120_000);

/**
 * The reviewer's questions, in a real browser: is a route safe (ready, exposure,
 * errors), what differs (fields, folded noise, reordered lists), for whom (served by).
 */
describe('web report: what a reviewer needs at a glance', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  const items = [1, 2, 3, 4, 5].map((id) => ({ id, name: `item ${id}` }));

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      if (req.url.startsWith('/list'))
        return {
          headers: { 'content-type': 'application/json; charset=utf-8', 'x-backend': 'legacy' },
          body: { items, generatedAt: `t-${Math.random()}` },
        };
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { body: { id: Number(m[1]), price: 10 } };
      if (req.url.startsWith('/broken/')) return { body: { ok: true } };
      if (req.url.startsWith('/slow/')) return { body: { ok: true } };
      return null;
    });
    candidate = await startBackend((req) => {
      if (req.url.startsWith('/list'))
        return { headers: { 'x-backend': 'candidate' }, body: { items: [...items].reverse(), generatedAt: `t-${Math.random()}` } };
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { body: { id: Number(m[1]), price: 11, sku: 'x' } };
      if (req.url.startsWith('/broken/')) return { status: 500, body: { error: 'boom' } };
      if (req.url.startsWith('/slow/')) return { delayMs: 4000, body: { ok: true } };
      return null;
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      // Far from the slow route's 4 s and from what the others take on a loaded machine (were 400 ms and 1.5 s).
      candidate: { url: candidate.url, timeoutMs: 1500 },
      customer: { from: 'header', name: 'x-customer' },
      rollout: { minCompared: 3 },
      routes: [
        { name: 'list', match: 'GET /list', compare: { noise: ['generatedAt'] } },
        { name: 'product', match: 'GET /products/:id' },
        { name: 'broken', match: 'GET /broken/:id' },
        { name: 'slow', match: 'GET /slow/:id' },
      ],
    });
    await request(`${t.url}/list?page=2&sort=new`);
    for (const id of ['1', '2']) await request(`${t.url}/products/${id}?view=full`);
    await request(`${t.url}/broken/1`);
    await request(`${t.url}/broken/2`);
    await request(`${t.url}/slow/1`);
    await t.waitFor(
      async () =>
        (await t.counters('list')).compared === 1 &&
        (await t.counters('product')).compared === 2 &&
        (await t.counters('broken')).compared === 2 &&
        (await t.counters('slow')).compared === 1,
      20_000,
    );
    // Move 10% of customers and one customer to the candidate on `product` (forced: the route is not ready).
    const call = (method: string, p: string, body: unknown) =>
      fetch(`${t.reportUrl}/_tandem/api${p}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await call('PUT', '/rollout/routes/product', { percentage: 10, force: true })).status).toBe(200);
    expect((await call('PUT', '/rollout/routes/product/customers/acme', { phase: 'candidate', force: true })).status).toBe(200);
    await t.waitFor(
      async () =>
        (await request(`${t.url}/products/3?view=full`, { headers: { 'x-customer': 'acme' } })).headers['x-served-by'] === 'candidate',
    );
    await t.waitFor(async () => (await t.counters('product')).compared >= 3, 20_000);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `review-${name}.png`), fullPage: true });

  it('the sign-in page shows no navigation and no "Sign out"', async () => {
    await page.goto(`${t.reportUrl}/_tandem/`);
    await page.waitForSelector('form#signin');
    expect(await page.locator('#nav').isVisible()).toBe(false);
    expect(await page.locator('#sign-out').isVisible()).toBe(false);
    await shot('signin');
    await page.fill('#token', TEST_TOKEN);
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('table#routes tbody tr[data-route]');
    expect(await page.locator('#sign-out').isVisible()).toBe(true);
  });

  it('the overview says which routes are ready, their real exposure, and shows errors in red, linked to their list', async () => {
    const product = page.locator('tr[data-route=product]');
    const phase = await product.locator('td.phase').innerText();
    expect(phase).toMatch(/shadow \+ 10% of customers on candidate/);
    expect(phase).toMatch(/1 customer override \(1 on candidate\)/);
    expect(phase).toMatch(/candidate served 1/);
    expect(await product.locator('td.ready').innerText()).toMatch(
      /not ready\s+match rate short: 0\.0%, below 99\.0%; 0\/3 matched \(0\.0%\) over the last 3 compared \(window \d+\), threshold 99\.0%/,
    );
    expect(await page.locator('tr[data-route=slow] td.ready').innerText()).toMatch(
      /not ready\s+volume short: 1 of the 3 compared requests needed/,
    );
    const errors = page.locator('tr[data-route=broken] td.errors');
    expect(await errors.innerText()).toBe('2');
    expect(
      await errors.evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
      ),
    ).toBe('rgb(180, 35, 24)');
    expect(await page.locator('tr[data-route=broken] svg.spark rect.spark-error').count()).toBeGreaterThan(0);
    await shot('overview');
    await errors.locator('a').click();
    await page.waitForSelector('table#results tbody tr[data-id]');
    expect(page.url()).toContain('class=candidate_error');
    expect(await page.locator('table#results tbody').innerText()).toContain('candidate answered 500');
  });

  it('names a candidate error on its page: "candidate answered 500", "timed out after 1.5 s"', async () => {
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#candidate-failure');
    expect(await page.locator('#candidate-failure').innerText()).toContain('candidate answered 500');
    expect(await page.locator('#result-class').innerText()).toContain('candidate_error');
    await shot('candidate-500');
    await page.goto(`${t.reportUrl}/_tandem/#/route/slow?class=candidate_error`);
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#candidate-failure');
    expect(await page.locator('#candidate-failure').innerText()).toContain('timed out after 1.5 s');
  });

  it('the mismatch page folds what is not counted, says a list was only reordered, and shows the query', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/list`);
    await page.waitForSelector('table#results tbody tr[data-id]');
    expect(await page.locator('table#results td.request').first().innerText()).toBe('GET /list?page=2&sort=new');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#responses .d2h-file-wrapper');
    expect(await page.locator('#request-line').innerText()).toBe('GET /list?page=2&sort=new');
    const diffs = page.locator('table#differences tbody tr');
    expect(await diffs.count()).toBe(1);
    expect(await diffs.first().innerText()).toMatch(/^items\s+same elements, different order/);
    // Headers not compared (x-backend) and the charset parameter are folded away, not highlighted.
    const highlighted = (await page.locator('#responses .d2h-del, #responses .d2h-ins').allInnerTexts()).join('\n');
    expect(highlighted).not.toContain('x-backend');
    expect(highlighted).not.toContain('charset');
    expect(highlighted).not.toContain('generatedAt');
    const folded = page.locator('#not-counted');
    expect(await folded.locator('summary').innerText()).toMatch(/headers not compared.*1 ignored, noise or candidate-only field/);
    await folded.locator('summary').click();
    expect(await folded.innerText()).toContain('x-backend: legacy');
    expect(await folded.innerText()).toContain('charset=utf-8');
    expect(await folded.locator('table.not-counted-fields').innerText()).toMatch(/generatedAt\s+noise/);
    expect(await page.locator('#served-by').innerText()).toMatch(/^legacy/);
    await shot('mismatch-folded');
  });

  it('the counted-fields diff leaves out a field only the candidate has, as the comparison does (allowAdded)', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/product`);
    await page.waitForSelector('table#results tbody tr[data-id]');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#responses .d2h-file-wrapper');
    expect(await page.locator('table#differences tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^price\s/)]);
    const highlighted = (await page.locator('#responses .d2h-del, #responses .d2h-ins').allInnerTexts()).join('\n');
    expect(highlighted).toContain('"price": 11');
    expect(highlighted).not.toContain('sku');
    const folded = page.locator('#not-counted');
    await folded.locator('summary').click();
    expect(await folded.locator('table.not-counted-fields').innerText()).toMatch(/sku\s+only in the candidate \(allowAdded\)\s+"x"/);
  });

  it('says when this customer was served by the candidate', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/product?customer=acme`);
    await page.waitForSelector('table#results tbody tr[data-id]');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#served-by');
    expect(await page.locator('#served-by').innerText()).toContain("customer acme was served the candidate's translated response");
    await shot('served-by-candidate');
  });

  it('shows root causes beside the signatures: one row per cause with its count, share, customers and examples', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/product`);
    const row = page.locator('table#causes tr[data-cause^="price|"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toMatch(/^price/);
    expect(cells[1]).toBe('3');
    expect(cells[2]).toBe('100.0%');
    expect(cells[5]).toBe('2'); // anonymous and acme
    expect(cells[6]).toMatch(/price 10 → 11/);
    expect(await page.locator('table#signatures').isVisible()).toBe(true);
    await shot('root-causes');
  });

  it('a field path lists the mismatches where it differs; an ignored path can be unignored from the page', async () => {
    // A fresh load: the previous test left the page on this same route, where a hash-only goto re-renders nothing.
    await page.goto('about:blank');
    await page.goto(`${t.reportUrl}/_tandem/#/route/product`);
    await page.waitForSelector('table#fields tr[data-path=price]');
    await page.click('table#fields tr[data-path=price] button.field-path');
    await page.waitForSelector('table.examples tbody tr');
    const examples = await page.locator('table.examples tbody').innerText();
    expect(examples).toMatch(/GET \/products\/\d\?view=full\s+price\s+changed\s+10\s+11/);
    await shot('field-examples');
    await page.click('table#fields tr[data-path=price] button.act-ignore');
    await page.waitForSelector('#ignored li[data-path=price]');
    await page.click('#rediff');
    await page.waitForSelector('#notice:has-text("Rediffed")');
    // After the rediff the ignored field has left the tree; the list still offers to undo it.
    await page.waitForSelector('#ignored li[data-path=price] button.act-unignore');
    await page.locator('table#fields tr[data-path=price]').waitFor({ state: 'detached' }); // the page re-renders after the notice
    expect(await page.locator('table#fields tr[data-path=price]').count()).toBe(0);
    await shot('ignored-list');
    await page.click('#ignored li[data-path=price] button.act-unignore');
    await page.waitForSelector('#notice:has-text("unignore price: saved")');
    await page.locator('#ignored li[data-path=price]').waitFor({ state: 'detached' }); // the list re-renders after the notice
    expect(await page.locator('#ignored li[data-path=price]').count()).toBe(0);
  });

  it('compares an array unordered, or matches it by a key, from the field tree', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/list`);
    await page.waitForSelector('table#fields tr[data-path="items[*]"]');
    expect(await page.locator('#stat-mismatches .value').innerText()).toBe('1');
    page.once('dialog', (d) => void d.accept('id'));
    await page.click('table#fields tr[data-path="items[*]"] button.act-arrayKey');
    await page.waitForSelector('#array-rules li[data-array-key=items]');
    expect(await page.locator('#array-rules').innerText()).toContain('elements matched by id');
    await page.click('#array-rules li[data-array-key=items] button.act-unkey');
    await page.waitForSelector('#notice:has-text("unkey items: saved")');
    await page.click('table#fields tr[data-path="items[*]"] button.act-unordered');
    await page.waitForSelector('#array-rules li[data-unordered=items]');
    await page.click('#rediff');
    await page.waitForSelector('#notice:has-text("Rediffed")');
    // The only difference was the order: the exchange is no longer a mismatch.
    await page.waitForSelector('#stat-mismatches .value:text-is("0")');
    await shot('array-rules');
  });

  it('an unknown route is a clear page, not an empty one', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/nosuch`);
    await page.waitForSelector('#unknown-route');
    expect(await page.locator('#unknown-route').innerText()).toContain(
      'no route is named "nosuch" (configured: list, product, broken, slow)',
    );
    await shot('unknown-route');
  });

  it('the lag banner says why results are behind, in the API words (describeLag)', async () => {
    const { describeLag } = await import('../../src/metrics');
    expect(describeLag({ waiting: 3, waitingExchanges: 41, active: 2, lagSeconds: 12 })).toBe(
      'results are 12 seconds behind (41 exchanges waiting); workers are comparing 2 jobs but not keeping up: add workers or raise worker.concurrency',
    );
    await page.goto(`${t.reportUrl}/_tandem/#/`);
    await page.waitForSelector('table#routes');
    expect(pageErrors).toEqual([]);
  });
});
