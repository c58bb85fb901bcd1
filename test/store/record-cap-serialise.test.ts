import type { ComparisonResult } from '../../src/records';
import { keySchema } from '../../src/store';
import { RecordCalls } from '../../src/store/record-call';
import { exchangeOfJson, mismatchOfJson } from '../../src/store/exchange-json';
import { fakeExchange } from '../report/seed';

/**
 * Fitting a large record under `retention.maxRecordBytes` serialises the exchange once to
 * measure it and once to store it (with the proxy's in-process worker this runs on the
 * proxy's thread: heavy work never stalls its event loop). `fitRecord` used to stringify
 * the whole exchange again after each body it left out: ~5 MB of JSON built for a 1 MB
 * exchange. Counted in characters JSON.stringify produced, not in time.
 */
describe('fitting a large record serialises the exchange once', () => {
  const CAP = 256 * 1024;
  const body = (n: number, v: number) => ({ items: Array.from({ length: n }, (_, i) => ({ i, v: v + i, note: 'x'.repeat(20) })) });

  /** Five bodies that differ, ~190 KB each: four must be left out. */
  function largeExchange() {
    const ex = fakeExchange({ id: 'ser', route: 'r', at: 1000, legacy: body(4_000, 0), candidate: body(4_000, 1) });
    const text = (v: number) => ({ encoding: 'utf8' as const, data: JSON.stringify(body(4_000, v)), size: 0, truncated: false });
    ex.request = { ...ex.request, method: 'POST', body: text(2) };
    ex.candidateRequest = { ...ex.candidateRequest!, method: 'POST', body: text(3) };
    ex.legacyRepeat = { ...ex.legacy, body: text(4) };
    return ex;
  }

  it.each(['match', 'mismatch'] as const)('builds at most ~2x the exchange JSON in all (%s)', (cls) => {
    const ex = largeExchange();
    const full = JSON.stringify(ex).length;
    expect(full).toBeGreaterThan(4 * CAP);
    const result: ComparisonResult =
      cls === 'match'
        ? { class: 'match', differences: [], noise: [], suspectedNoise: [] }
        : {
            class: 'mismatch',
            risk: 'low',
            signature: 'v',
            differences: [{ path: 'v', kind: 'changed', legacy: 1, candidate: 2 }],
            noise: [],
            suspectedNoise: [],
          };
    const calls = new RecordCalls(
      keySchema({ prefix: 'tandem' }),
      { mismatchesPerRoute: 10, exchangesPerRoute: 10, ttlSeconds: 60, maxRecordBytes: CAP },
      null,
    );
    const real = JSON.stringify;
    let chars = 0;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation(((...args: Parameters<typeof JSON.stringify>) => {
      const out = real(...args);
      chars += out?.length ?? 0;
      return out;
    }) as typeof JSON.stringify);
    let call;
    try {
      call = calls.call({ exchange: ex, result, extra: { fieldPaths: ['v'], noisePaths: [] } }, {});
    } finally {
      spy.mockRestore();
    }
    if (call instanceof Promise) throw new Error('no budget: the call is given at once');
    // one measurement (the whole exchange) + each left-out body measured once (< the whole) + the stored JSON (<= the cap)
    expect(chars).toBeLessThanOrEqual(2 * full + 2 * CAP);
    const json = call.staged ?? call.exchangeJson;
    expect(json.length).toBeLessThanOrEqual(CAP);
    const stored = exchangeOfJson(json);
    expect(stored.storedWithout?.length).toBeGreaterThanOrEqual(4);
    expect(stored.legacy.body!.truncated || stored.legacy.body!.data === ex.legacy.body!.data).toBe(true);
    if (cls === 'mismatch') expect(mismatchOfJson(`{"exchange":${json}${call.mismatchTail}`).result.signature).toBe('v');
  });
});
