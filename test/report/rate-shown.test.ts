import { formatReadiness } from '../../src/cli/rollout-format';
import { readinessOf } from '../../src/rollout/readiness';
import { formatRate } from '../../src/store/match-rate';
import { useRateRig } from './rate-rig';

jest.setTimeout(120_000);

/**
 * One way to show a rate, everywhere (the "one definition per number" rule): the API's
 * readiness sentence, the CLI, the overview, customers and Rollout pages all show a rate
 * with the server's `formatRate`, which never shows a figure higher than it is. Before,
 * each surface rounded with its own `toFixed(1)`: 95 matches of 96 (98.96%) were shown as
 * "99.0%" beside "match rate short: 99.0%, below 99.0%", and 1999 of 2000 as "100.0%"
 * beside a mismatch. Real backends, a worker, Redis and a browser.
 */
describe('a rate is shown one way, never higher than it is', () => {
  // one product of 96 differs: 95/96 = 98.96% matched, just under the 99% threshold
  const rig = useRateRig({ products: 96, differing: 96, threshold: 0.99 });

  it('cuts a rate down to its tenth of a percent, never rounds it up to 100% or to the threshold', () => {
    expect(formatRate(95 / 96)).toBe('98.9%');
    expect(formatRate(1999 / 2000)).toBe('99.9%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(114 / 180)).toBe('63.3%');
    expect(formatRate(0.57)).toBe('57.0%');
    expect(formatRate(null)).toBe('-');
    expect(formatRate(undefined, '–')).toBe('–');
    const r = readinessOf([...Array<string>(1999).fill('match'), 'mismatch'], { threshold: 0.999, window: 2000, minCompared: 20 });
    expect(formatReadiness(r)).toBe('ready: 1999/2000 matched (99.9%) over the last 2000 compared (window 2000), threshold 99.9%\n');
  });

  it('the API, the CLI and the pages say 98.9% for 95 of 96, below the 99.0% threshold', async () => {
    const row = (await rig.t.api('/routes')).routes.find((r: { name: string }) => r.name === 'product');
    expect(row).toMatchObject({ compared: 96, mismatches: 1, matchRate: 95 / 96 });
    const ready = await rig.t.api('/rollout/readiness/product');
    expect(ready.summary).toBe(
      'not ready: 95/96 matched (98.9%) over the last 96 compared (window 200), threshold 99.0%; match rate short: 98.9%, below 99.0%',
    );
    expect(row.readiness.summary).toBe(ready.summary);
    // the CLI's words are the API's
    expect(formatReadiness(ready)).toBe(
      'not ready: 95/96 matched (98.9%) over the last 96 compared (window 200), threshold 99.0%\n  match rate short: 98.9%, below 99.0%\n',
    );
    // the page's figures module is the server's own function
    const figures = await (await fetch(`${rig.t.reportUrl}/_tandem/assets/figures.js`)).text();
    expect(figures).toContain(`export const formatRate = ${formatRate.toString()};`);

    expect(await rig.page.locator('tr[data-route=product] td.rate').innerText()).toContain('98.9%');
    expect(await rig.page.locator('tr[data-route=product] td.ready').innerText()).toContain('match rate short: 98.9%, below 99.0%');
    await rig.page.goto(`${rig.t.reportUrl}/_tandem/#/route/product`);
    await rig.page.waitForSelector('#route-stats');
    expect(await rig.page.locator('#route-stats').innerText()).toContain('98.9%');
    await rig.page.goto(`${rig.t.reportUrl}/_tandem/#/customers?route=product`);
    await rig.page.waitForSelector('table#customers tr[data-customer=acme][data-route=product]');
    expect(await rig.page.locator('table#customers tr[data-customer=acme][data-route=product]').innerText()).toContain('98.9%');
    // the browser runs the very same function: the same text for rates around every boundary
    const rates = [0, 1, 95 / 96, 1999 / 2000, 2 / 3, 0.57, 0.0005, 0.99, 0.98999, 114 / 180];
    // (a string: ts-jest would compile a dynamic import() in a function to require())
    const inPage = (await rig.page.evaluate(
      `import('./assets/figures.js').then((m) => [...${JSON.stringify(rates)}.map((x) => m.formatRate(x)), m.formatRate(null, '–')])`,
    )) as string[];
    expect(inPage).toEqual([...rates.map((x) => formatRate(x)), '–']);
  });
});
