import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { ARTIFACTS, launchChromium } from './browser';

jest.setTimeout(120_000);

const XSS_TITLE = '<script>window.__pwned = 1</script>';
const XSS_KEY = '<img src=x onerror="window.__pwned = 2">';
const XSS_HTML = '<h1>Hi</h1><script>window.__pwned = 4</script><img src=x onerror="window.__pwned = 5">';
const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10, currency: 'EUR' });

describe('web report in a real browser', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let fixed = false;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { body: product(m[1]) };
      if (req.url.startsWith('/pages/'))
        return { body: { title: XSS_TITLE, [XSS_KEY]: 'x', html: '<img src=x onerror="window.__pwned = 3">' } };
      if (req.url.startsWith('/html/')) return { headers: { 'content-type': 'text/html' }, raw: XSS_HTML };
      return null;
    });
    candidate = await startBackend((req) => {
      const m = /^\/products\/(\d+)/.exec(req.url);
      if (m) return { body: ['2', '4'].includes(m[1]) && !fixed ? { ...product(m[1]), price: 11 } : product(m[1]) };
      if (req.url.startsWith('/pages/')) return { body: { title: 'safe', [XSS_KEY]: 'y', html: '' } };
      if (req.url.startsWith('/html/')) return { headers: { 'content-type': 'text/html' }, raw: '<h1>Hello</h1>' };
      return null;
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'product', match: 'GET /products/:id' },
        { name: 'page', match: 'GET /pages/:id' },
        { name: 'html', match: 'GET /html/:id' },
      ],
    });
    for (const id of ['1', '2', '3', '4', '5', '6']) await request(`${t.url}/products/${id}`);
    await request(`${t.url}/pages/1`);
    await request(`${t.url}/html/1`);
    await t.waitFor(
      async () =>
        (await t.counters('product')).compared === 6 &&
        (await t.counters('page')).compared === 1 &&
        (await t.counters('html')).compared === 1,
    );
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `report-${name}.png`), fullPage: true });

  it('signs in with the token and shows the overview, worst route first', async () => {
    await page.goto(`${t.reportUrl}/_tandem/`);
    await page.waitForSelector('form#signin');
    await shot('signin');
    await page.fill('#token', 'not-the-token-0123456789');
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('.signin-status:has-text("Wrong token")');
    await page.fill('#token', TEST_TOKEN);
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('table#routes tbody tr[data-route]');
    const rows = page.locator('table#routes tbody tr');
    const names = await Promise.all(Array.from({ length: await rows.count() }, (_, i) => rows.nth(i).getAttribute('data-route')));
    expect(names).toEqual(['html', 'page', 'product']);
    const productRow = page.locator('tr[data-route=product]');
    expect(await productRow.locator('td.mismatches').innerText()).toBe('2');
    expect(await productRow.locator('td.rate').innerText()).toContain('66.6%');
    expect(await productRow.locator('svg.spark rect.spark-mismatch').count()).toBeGreaterThan(0);
    const cookies = await chromium.context.cookies();
    expect(cookies.find((c) => c.name === 'tandem_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/_tandem' });
    await shot('overview');
  });

  it('drills from a route to a mismatch and shows the highlighted difference', async () => {
    await page.click('tr[data-route=product] a.route-link');
    await page.waitForSelector('table#fields tr[data-path=price]');
    expect(await page.locator('table#fields tr[data-path=price] td.differs').innerText()).toBe('2');
    expect(await page.locator('table#signatures a.sig').first().innerText()).toBe('price');
    expect(await page.locator('table#results tbody tr').count()).toBe(2);
    await shot('route');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#responses .d2h-file-wrapper');
    expect(await page.locator('table#differences tbody tr').innerText()).toMatch(/price\s+changed\s+10\s+11/);
    const removed = await page.locator('#responses .d2h-del').allInnerTexts();
    const added = await page.locator('#responses .d2h-ins').allInnerTexts();
    expect(removed.join('\n')).toContain('"price": 10');
    expect(added.join('\n')).toContain('"price": 11');
    expect(await page.locator('#candidate-request').innerText()).toMatch(/^GET \/products\/[24]/);
    expect(await page.locator('#request').innerText()).toContain('x-request-id');
    await shot('mismatch');
  });

  it('replays the stored request against the current candidate', async () => {
    await page.click('#replay-button');
    await page.waitForSelector('#replay-result');
    expect(await page.locator('#replay-result').innerText()).toMatch(/^Now: mismatch with 1 difference/);
    fixed = true;
    await page.click('#replay-button');
    await page.waitForSelector('#replay-result:has-text("Now: match")');
    expect(await page.locator('#replay-result').innerText()).toContain('stored: mismatch [price]');
    await shot('replay');
  });

  it('ignores a field, rediffs, and the mismatch count changes', async () => {
    fixed = false;
    await page.goto(`${t.reportUrl}/_tandem/#/route/product`);
    await page.waitForSelector('#route-stats');
    expect(await page.locator('#stat-mismatches .value').innerText()).toBe('2');
    await page.click('table#fields tr[data-path=price] button.act-ignore');
    await page.waitForSelector('table#fields tr[data-path=price] .badge:has-text("ignored")');
    await page.click('#rediff');
    await page.waitForSelector('#notice:has-text("Rediffed 6 stored exchanges")');
    await page.waitForSelector('#stat-mismatches .value:text-is("0")');
    expect(await page.locator('table#results tbody').innerText()).toContain('Nothing stored matches');
  });

  it('keeps deep links for filters and shows customers per route', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/product?risk=high&since=1h`);
    await page.waitForSelector('#filters');
    expect(await page.locator('#f-risk').inputValue()).toBe('high');
    expect(await page.locator('#f-since').inputValue()).toBe('1h');
    await page.goto(`${t.reportUrl}/_tandem/#/customers?route=product`);
    await page.waitForSelector('table#customers tr[data-customer=anonymous][data-route=product]');
    expect(await page.locator('table#customers tr[data-route=product] td.rate').innerText()).toContain('100.0%');
    await shot('customers');
    await page.click('#nav a[data-view=rollout]');
    // A locator wait, not waitForFunction: polling a string predicate needs eval, which the report's CSP forbids.
    await page.locator('main .view-rollout', { hasText: 'ollout' }).waitFor();
    await shot('rollout');
  });

  it('renders a backend payload with HTML and script inert, as text', async () => {
    await page.goto(`${t.reportUrl}/_tandem/#/route/page`);
    await page.waitForSelector('table#results a.open');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#responses .d2h-file-wrapper');
    const text = await page.locator('main').innerText();
    expect(text).toContain(XSS_TITLE);
    expect(text).toContain('<img src=x onerror=\\"window.__pwned = 3\\">'); // JSON-escaped, as text
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('main script, main img, main iframe').count()).toBe(0);
    await page.goto(`${t.reportUrl}/_tandem/#/route/page`);
    await page.waitForSelector('table#fields');
    expect(await page.locator('table#fields').innerText()).toContain('onerror');
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await shot('xss');
    await page.goto(`${t.reportUrl}/_tandem/#/route/html`);
    await page.waitForSelector('table#results a.open');
    await page.locator('table#results a.open').first().click();
    await page.waitForSelector('#responses .d2h-file-wrapper');
    expect(await page.locator('#responses').innerText()).toContain(XSS_HTML);
    expect(await page.locator('main script, main img, main h1:has-text("Hi")').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
