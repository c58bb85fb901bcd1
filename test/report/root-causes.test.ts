import type { ComparisonResult, Difference } from '../../src/records';
import { rootCauses } from '../../src/report';
import { clearDerived } from '../../src/store';
import { causesOf } from '../../src/worker/difference-causes';
import { useTestStore } from '../support/redis';
import { fakeExchange } from './seed';

describe('root causes: one bug is one row, whatever else differed in the same exchanges', () => {
  const t = useTestStore('causes');

  const balance: Difference = { path: 'balance', kind: 'type_changed', legacy: '12.50', candidate: 12.5 };
  const record = (id: string, at: number, customer: string, differences: Difference[]) => {
    const result: ComparisonResult = {
      class: 'mismatch',
      risk: 'high',
      signature: differences
        .map((d) => d.path)
        .sort()
        .join('|'),
      differences,
      noise: [],
      suspectedNoise: [],
    };
    return t.store.record(fakeExchange({ id, route: 'acct', at, customer }), result, {
      fieldPaths: differences.map((d) => d.path),
      noisePaths: [],
      causes: causesOf(differences),
    });
  };

  it('groups by cause across signatures, with count, share of compared, first/last seen, customers and examples', async () => {
    await record('e1', 1000, 'acme', [balance]);
    await record('e2', 2000, 'globex', [
      balance,
      { path: 'email', kind: 'removed', legacy: 'a@b' },
      { path: 'tags[0]', kind: 'changed', legacy: 'x', candidate: 'y' },
    ]);
    await record('e3', 3000, 'acme', [
      balance,
      { path: 'tags[1]', kind: 'changed', legacy: 'p', candidate: 'q' },
      { path: 'tags[4]', kind: 'changed', legacy: 'r', candidate: 's' },
    ]);
    await t.store.record(
      fakeExchange({ id: 'e4', route: 'acct', at: 4000 }),
      { class: 'match', differences: [], noise: [], suspectedNoise: [] },
      { fieldPaths: [], noisePaths: [] },
    );
    // Three signatures (balance, balance|email|tags[*], balance|tags[*]) ...
    expect((await t.store.signatures('acct')).length).toBe(3);
    // ... but one row for the balance bug, counted once per exchange.
    const { compared, causes } = await rootCauses(t.store, 'acct', 10);
    expect(compared).toBe(4);
    expect(causes.map((c) => [c.pattern, c.count])).toEqual([
      ['balance', 3],
      ['tags[*]', 2],
      ['email', 1],
    ]);
    const b = causes[0];
    expect(b).toMatchObject({
      kind: 'type_changed',
      share: 0.75,
      firstSeen: 1000,
      lastSeen: 3000,
      customers: 2,
      label: 'balance: string to number, same value',
    });
    expect(b.examples.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect(b.examples[0]).toMatchObject({ path: 'balance', legacy: '12.50', candidate: 12.5 });
    expect(causes[2].label).toMatch(/^email: missing in candidate/);
  });

  it('is derived data: a rediff clears it with the rest', async () => {
    await clearDerived(t.store, 'acct');
    expect((await rootCauses(t.store, 'acct', 10)).causes).toEqual([]);
  });
});
