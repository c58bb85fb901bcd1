import type { BrowserContext } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { apiSend } from '../rollout/helpers';
import { launchChromium } from './browser';

jest.setTimeout(120_000);

/**
 * A page the proxied application serves (think of a stored XSS in legacy): with the
 * operator signed in to the report in the same browser, it tries to read the session and
 * its CSRF value and to move a customer to `candidate-only`, on its own origin and on the
 * report's.
 */
const EVIL_PAGE = `<!doctype html><title>legacy page</title><script>
window.results = {};
const report = new URLSearchParams(location.search).get('report');
const put = { method: 'PUT', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phase: 'candidate-only', force: true }) };
const attempt = async (name, f) => { try { results[name] = await f(); } catch (e) { results[name] = 'blocked: ' + e.message; } };
(async () => {
  await attempt('sessionHere', async () => { const r = await fetch('/_tandem/api/session', { credentials: 'include' }); return { status: r.status, text: await r.text() }; });
  await attempt('sessionThere', async () => { const r = await fetch(report + '/_tandem/api/session', { credentials: 'include' }); return { status: r.status, text: await r.text() }; });
  await attempt('rolloutHere', async () => (await fetch('/_tandem/api/rollout/routes/product/customers/acme', put)).status);
  await attempt('rolloutThere', async () => (await fetch(report + '/_tandem/api/rollout/routes/product/customers/acme', put)).status);
  // A simple request needs no preflight: it is sent, with the cookie, but its answer is opaque.
  await attempt('ruleThere', async () => (await fetch(report + '/_tandem/api/routes/product/rules/ignore', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"path":"**"}' })).type);
  results.done = true;
})();
</script>`;

describe('same origin: a page served through the proxy cannot drive the report', () => {
  let legacy: TestBackend;
  let t: TestTandem;
  let chromium: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    legacy = await startBackend((req) =>
      req.url.startsWith('/evil')
        ? { headers: { 'content-type': 'text/html' }, raw: EVIL_PAGE }
        : req.url.startsWith('/products/')
          ? { body: { id: 1 } }
          : null,
    );
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    await request(`${t.url}/products/1`);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.stop();
    await legacy?.close();
  });

  it('refuses to give the session away or to change the rollout', async () => {
    const operator = await chromium.context.newPage();
    await operator.goto(`${t.reportUrl}/_tandem/`);
    await operator.fill('#token', TEST_TOKEN);
    await operator.click('form#signin button[type=submit]');
    await operator.waitForSelector('table#routes tbody tr[data-route]');
    expect((await chromium.context.cookies()).map((c) => c.name)).toEqual(expect.arrayContaining(['tandem_session', 'tandem_csrf']));

    const evil = await chromium.context.newPage();
    await evil.goto(`${t.url}/evil?report=${encodeURIComponent(t.reportUrl)}`);
    await evil.waitForFunction('window.results && window.results.done === true', undefined, { timeout: 30_000 });
    const results = (await evil.evaluate('window.results')) as Record<string, unknown>;

    // On the proxy's origin the report path is the proxied application's: legacy answers, not Tandem.
    expect(results.sessionHere).toMatchObject({ status: 404 });
    expect(JSON.stringify(results.sessionHere)).not.toMatch(/csrf|authenticated/);
    expect(results.rolloutHere).toBe(404);
    // The report's origin does not share its answers (no CORS), and refuses writes from another origin.
    expect(results.sessionThere).toMatch(/^blocked: /);
    expect(results.rolloutThere).toMatch(/^blocked: /);
    expect(results.ruleThere).toBe('opaque');
    // Nothing changed.
    const rollout = await apiSend(t.reportUrl, 'GET', '/rollout');
    expect(JSON.stringify(rollout.body)).not.toContain('candidate-only');
    const rules = await apiSend(t.reportUrl, 'GET', '/routes/product/rules');
    expect(rules.body.ignore).toEqual([]);
    // The operator's own page still works.
    await operator.reload();
    await operator.waitForSelector('table#routes tbody tr[data-route=product]');
  });
});
