import { useRateRig } from './rate-rig';

jest.setTimeout(120_000);

/**
 * A rate's colour is the readiness guard's verdict on it (`rollout.threshold`), as the API
 * says it (`matchRateMeetsThreshold`), never a cut-off of the page's own. Before, the pages
 * coloured a rate green from 99% whatever the threshold: at threshold 99.9% a route with
 * 99 of 100 matched was green beside "not ready: match rate short". Real backends, a
 * worker, Redis and a browser.
 */
describe('a rate is coloured by the rollout threshold the API judges it by', () => {
  // one product of 100 differs: 99.0% matched, below the 99.9% threshold
  const rig = useRateRig({ products: 100, differing: 100, threshold: 0.999 });

  it('the API says the rate is short of the threshold, and the pages colour it so', async () => {
    const row = (await rig.t.api('/routes')).routes.find((r: { name: string }) => r.name === 'product');
    expect(row).toMatchObject({ compared: 100, matchRate: 0.99, matchRateMeetsThreshold: false });
    expect(row.readiness).toMatchObject({ ready: false, threshold: 0.999 });
    const cust = (await rig.t.api('/customers?route=product')).items.find((r: { customer: string }) => r.customer === 'acme');
    expect(cust).toMatchObject({ matchRate: 0.99, matchRateMeetsThreshold: false });

    expect(await rig.page.locator('tr[data-route=product] td.rate').getAttribute('class')).toBe('rate bad');
    await rig.page.goto(`${rig.t.reportUrl}/_tandem/#/customers?route=product`);
    await rig.page.waitForSelector('table#customers tr[data-customer=acme][data-route=product]');
    expect(await rig.page.locator('table#customers tr[data-customer=acme][data-route=product] td.rate').getAttribute('class')).toBe(
      'rate bad',
    );
  });
});
