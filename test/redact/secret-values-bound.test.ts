import { recordedPair, sendRaw } from '../e2e/fidelity-support';
import { MAX_SECRET_VALUES } from '../../src/redact/redact-limits';

interface Stored {
  exchange: { request: { path: string; body: { encoding: string; data: string; withheld?: string; unreadable?: { reason: string } } } };
}

/**
 * Each secret value costs the proxy's event loop an HMAC (~5-10 µs): a hostile body just
 * under `capture.maxBodyBytes` holding 45,000 `"password"` fields (or a form of 68,000
 * `password=` fields) held the loop for ~0.5 s per request, every client's answer waiting.
 * Past `MAX_SECRET_VALUES` secret values in one body it is withheld whole (one HMAC),
 * with the reason; up to it every value is fingerprinted as before.
 */
describe('secret values fingerprinted per body, bounded', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });
  const post = async (path: string, type: string, body: string) => {
    const b = Buffer.from(body);
    const headers: [string, string][] = [
      ['Host', 'shop.example'],
      ['Content-Type', type],
      ['Content-Length', String(b.length)],
    ];
    expect((await sendRaw(p.tandem.url, { method: 'POST', path, headers, body: b })).status).toBe(200);
  };
  const json = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ password: `SECRET-${i}`, n: i })));
  const form = (n: number) => Array.from({ length: n }, (_, i) => `password=SECRET-${i}`).join('&');

  it('fingerprints up to the bound, withholds a body past it with the reason', async () => {
    await post('/t/json-within', 'application/json', json(MAX_SECRET_VALUES));
    await post('/t/json-over', 'application/json', json(MAX_SECRET_VALUES + 1));
    await post('/t/form-over', 'application/x-www-form-urlencoded', form(MAX_SECRET_VALUES + 1));
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 3, 20_000);
    const res = await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, {
      headers: { authorization: 'Bearer test-token-0123456789abcdef' },
    });
    const stored = (await res.json()) as Stored[];
    const body = (path: string) => stored.find((s) => s.exchange.request.path === path)!.exchange.request.body;

    const within = body('/t/json-within');
    expect(within.withheld).toBeUndefined();
    const text = Buffer.from(within.data, 'base64').toString().includes('"n":')
      ? Buffer.from(within.data, 'base64').toString()
      : within.data;
    expect(text).not.toContain('SECRET');
    expect(JSON.parse(text)).toHaveLength(MAX_SECRET_VALUES);
    for (const path of ['/t/json-over', '/t/form-over']) {
      expect(body(path).data).toBe('');
      expect(body(path).withheld).toMatch(/^\[REDACTED:[0-9a-f]{16}\]$/);
      expect(body(path).unreadable?.reason).toMatch(new RegExp(`more than ${MAX_SECRET_VALUES} secret values`));
    }
    expect(JSON.stringify(stored)).not.toContain('SECRET');
  });
});
