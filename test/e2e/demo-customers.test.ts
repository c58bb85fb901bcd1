import { runDemo } from '../../src/demo/run-demo';
import { deletePrefix, TEST_REDIS_URL } from '../support/redis';

// The demo's sample traffic names its customer in x-customer-id: the demo identifies it,
// so the report's Customers page (its API) lists them instead of one `anonymous`.
describe('the demo identifies its customers', () => {
  it('the Customers API lists the customers the sample traffic sends', async () => {
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = TEST_REDIS_URL;
    const lines: string[] = [];
    const demo = await runDemo({ port: 0, requests: 40, once: true, out: (l) => lines.push(l) });
    const rt = demo.server.middleware.runtime;
    try {
      expect(rt.config.customer).toEqual(expect.objectContaining({ from: 'header', name: 'x-customer-id' }));
      const res = await fetch(`${demo.server.reportUrl}${rt.config.report.path}/api/customers?route=product`, {
        headers: { authorization: `Bearer ${rt.config.report.token}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const c of ['customer-1', 'customer-2', 'customer-3']) expect(text).toContain(`"${c}"`);
      expect(text).not.toContain('"anonymous"');
    } finally {
      await demo.stop();
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
      await deletePrefix(rt.config.redis.prefix);
    }
  }, 60_000);
});
