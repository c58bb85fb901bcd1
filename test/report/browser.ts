import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TEST_TOKEN } from '../support/tandem';

/** Where the browser tests save screenshots (gitignored). */
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

/**
 * Debian's chromium (`/usr/bin/chromium`, or CHROMIUM_PATH), headless, with a fresh
 * user-data dir (playwright takes it as the persistent context's folder); `close()`
 * removes it.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tandem-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the report at `reportUrl`, signs in with the test token and waits for `ready` (a
 * selector: the overview's row of a route, or the navigation once signed in).
 *
 * @example
 * await signIn(page, t.reportUrl, 'table#routes tbody tr[data-route=product]');
 */
export async function signIn(page: Page, reportUrl: string, ready = '#nav:not([hidden])'): Promise<void> {
  await page.goto(`${reportUrl}/_tandem/`);
  await page.fill('#token', TEST_TOKEN);
  await page.click('form#signin button[type=submit]');
  await page.waitForSelector(ready);
}
