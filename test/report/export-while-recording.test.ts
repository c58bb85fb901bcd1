import { eachResult, parseResultFilter } from '../../src/report';
import { useTestStore } from '../support/redis';
import { fakeExchange, fakeResult, recordOne } from './seed';

/**
 * An export reads a route's results newest first, a batch at a time, while the worker keeps
 * recording: a result recorded between two batches sits above the ones already read, and an
 * offset-only read met the last of them again (the attacker's export listed one exchange twice).
 */
describe('an export while results are being recorded', () => {
  const t = useTestStore('export-live');

  it.each(['match', 'mismatch'] as const)('lists each %s once, the ones recorded meanwhile at most once', async (cls) => {
    const route = `r-${cls}`;
    const at = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) await recordOne(t.store, fakeExchange({ id: `${cls}-${i}`, route, at: at + i }), fakeResult(cls));
    const f = parseResultFilter({ class: cls }, Date.now());
    const ids: string[] = [];
    let added = 0;
    for await (const r of eachResult(t.store, route, f, 2)) {
      ids.push(r.exchange.id);
      // After each batch of two, the worker records a newer result (and one older than all, late).
      if (ids.length % 2 === 0 && added < 4) {
        await recordOne(t.store, fakeExchange({ id: `${cls}-new-${added}`, route, at: at + 100 + added }), fakeResult(cls));
        await recordOne(t.store, fakeExchange({ id: `${cls}-late-${added}`, route, at: at - 100 - added }), fakeResult(cls));
        added++;
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Every result stored when the export began is in it.
    for (let i = 0; i < 5; i++) expect(ids).toContain(`${cls}-${i}`);
  });
});
