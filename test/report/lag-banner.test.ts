import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { launchChromium, signIn } from './browser';

jest.setTimeout(120_000);

/**
 * The overview's lag banner shows the API's own sentence (`GET /lag` `message`, the
 * `describeLag` of the CLI and the metrics). Before, the page worded the lag itself from
 * the waiting jobs only: with a shadow request in flight (or jobs delayed, or exchanges
 * buffered) and nothing waiting it showed no banner while the API said "results are not
 * complete". Real backends (a candidate that holds its answer), Redis and a browser.
 */
describe('the lag banner is the API message', () => {
  let legacy: TestBackend;
  let candidate: Server;
  const held: ServerResponse[] = [];
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url } }));
    candidate = createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => candidate.listen(0, '127.0.0.1', r));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: `http://127.0.0.1:${(candidate.address() as AddressInfo).port}`, timeoutMs: 60_000 },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    await request(`${t.url}/p/1`);
    await t.waitFor(async () => held.length === 1, 30_000);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await signIn(page, t.reportUrl, 'table#routes tbody tr[data-route=product]');
  });

  afterAll(async () => {
    for (const res of held) res.end('{}');
    await chromium?.close();
    await t?.stop();
    await legacy?.close();
    candidate?.closeAllConnections();
    await new Promise((r) => candidate?.close(r));
  });

  it('says what the API says while a shadow request is in flight and nothing waits', async () => {
    const lag = await t.api('/lag');
    expect(lag).toMatchObject({
      waiting: 0,
      inFlight: 1,
      complete: false,
      message: 'results are not complete: 1 shadow request in flight',
    });
    await page.waitForSelector('#lag-banner');
    expect(await page.locator('#lag-banner').innerText()).toBe(lag.message);
  });
});
