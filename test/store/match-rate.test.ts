import { matchFigures, matchRate, tallyClasses } from '../../src/store';
import { readinessOf } from '../../src/rollout/readiness';

describe('the one match rate', () => {
  it('counts every error class against the rate, and ignores ingress counters', () => {
    expect(matchFigures({ match: 3, candidate_error: 1, seen: 40, shadowed: 40, compared: 4 })).toEqual({
      results: 4,
      matches: 3,
      mismatches: 0,
      errors: 1,
      rate: 0.75,
    });
    expect(matchRate({ match: 1, noise_only: 1, mismatch: 1, translation_error: 1, unparseable: 1, too_large: 1 })).toBeCloseTo(2 / 6);
    expect(matchRate({ seen: 5 })).toBeNull();
  });

  it('rates the readiness window with the same function, reading older 1/0 entries', () => {
    const window = ['match', 'candidate_error', 'noise_only', '1', '0', 'too_large'];
    expect(matchFigures(tallyClasses(window)).rate).toBeCloseTo(3 / 6);
    const r = readinessOf(window, { threshold: 0.5, window: 4, minCompared: 4 });
    expect(r).toMatchObject({ compared: 4, matches: 3, ready: true });
    expect(r.matchRate).toBe(matchRate({ match: 2, noise_only: 1, candidate_error: 1 }));
  });
});
