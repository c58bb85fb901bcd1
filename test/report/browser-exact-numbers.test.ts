import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { ARTIFACTS, launchChromium, signIn } from './browser';

jest.setTimeout(120_000);

/**
 * Numbers a double cannot hold (past 2^53) on the mismatch page, with real servers, a
 * worker, the `products-v2` response translator and a browser. The comparison keeps them
 * exact; the page parsed stored bodies with `JSON.parse`, so legacy's
 * `12345678901234567893` showed as `12345678901234567000`, and against the translated
 * candidate (where such a number is its digits, as in the differences table) the
 * counted-fields diff highlighted a field that did not differ.
 */
describe('mismatch page: numbers past 2^53', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const m = /^\/api\/v1\/products\/(\d+)$/.exec(req.url);
      return m ? { raw: `{"id":${m[1]},"name":"Mug","big":12345678901234567893,"n":1}` } : null;
    });
    candidate = await startBackend((req) => {
      const m = /^\/v2\/products\/(\d+)$/.exec(req.url);
      if (!m) return null;
      // product 1: only n differs; product 2: only big differs, in its last digit
      return m[1] === '1'
        ? { raw: `{"id":1,"title":"Mug","big":12345678901234567893,"n":2}` }
        : { raw: `{"id":2,"title":"Mug","big":12345678901234567894,"n":1}` };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'product', match: 'GET /api/v1/products/:id', translator: 'products-v2' }],
    });
    await request(`${t.url}/api/v1/products/1`);
    await request(`${t.url}/api/v1/products/2`);
    await t.waitFor(async () => (await t.counters('product')).mismatch === 2, 20_000);
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

  const openMismatch = async (signature: string) => {
    const list = await t.api(`/routes/product/mismatches?signature=${encodeURIComponent(signature)}`);
    expect(list.total).toBe(1);
    await page.goto(`${t.reportUrl}/_tandem/#/mismatch/${encodeURIComponent(list.items[0].id)}`);
    await page.waitForSelector('#responses .d2h-file-wrapper');
    return (await page.locator('#responses .d2h-del, #responses .d2h-ins').allInnerTexts()).join('\n');
  };

  it('highlights only the field that differs, and shows legacy’s number with every digit', async () => {
    const highlighted = await openMismatch('n');
    expect(highlighted).toContain('"n"');
    expect(highlighted).not.toContain('big');
    const responses = await page.locator('#responses').innerText();
    expect(responses).toContain('12345678901234567893');
    expect(responses).not.toContain('12345678901234567000');
    // the candidate's raw answer (before translation) is shown exact too
    expect(await page.locator('#candidate-raw').textContent()).toContain('12345678901234567893');
    await page.screenshot({ path: path.join(ARTIFACTS, 'exact-numbers-n.png'), fullPage: true });
  });

  it('highlights a number that differs only past 2^53, with both values exact', async () => {
    const highlighted = await openMismatch('big');
    expect(highlighted).toContain('12345678901234567893');
    expect(highlighted).toContain('12345678901234567894');
    expect(highlighted).not.toContain('"n"');
    expect(pageErrors).toEqual([]);
  });
});
