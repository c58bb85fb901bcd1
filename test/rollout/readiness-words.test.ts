import { readinessOf, readinessShortfalls, readinessSummary, refusalMessage } from '../../src/rollout/readiness';
import { formatReadiness } from '../../src/cli/rollout-format';

// One wording, with the figures of what was compared, for the CLI, the overview and the Rollout page.
describe('readiness in words', () => {
  const settings = { threshold: 0.99, window: 200, minCompared: 20 };
  const outcomes = (matches: number, mismatches: number) => [...Array(matches).fill('match'), ...Array(mismatches).fill('mismatch')];

  it('counts over what was compared, not over the window', () => {
    expect(readinessSummary(readinessOf(outcomes(18, 16), settings))).toBe(
      'not ready: 18/34 matched (52.9%) over the last 34 compared (window 200), threshold 99.0%; match rate short: 52.9%, below 99.0%',
    );
  });

  it('names both shortfalls when volume and match rate are short', () => {
    expect(readinessShortfalls(readinessOf(outcomes(0, 2), settings))).toEqual([
      'volume short: 2 of the 20 compared requests needed',
      'match rate short: 0.0%, below 99.0%',
    ]);
    expect(readinessSummary(readinessOf([], settings))).toBe(
      'not ready: nothing compared in the window (200) yet, threshold 99.0%; volume short: 0 of the 20 compared requests needed',
    );
  });

  it('is what tandem rollout readiness prints: the API summary, each shortfall on its own line', () => {
    const cases = [
      readinessOf(outcomes(18, 16), settings),
      readinessOf(outcomes(0, 2), settings),
      readinessOf([], settings),
      readinessOf(outcomes(30, 0), settings),
    ];
    for (const r of cases) {
      const printed = formatReadiness(r)
        .trimEnd()
        .split('\n')
        .map((l) => l.trim());
      expect(printed.join('; ')).toBe(readinessSummary(r));
    }
    expect(formatReadiness({ ...readinessOf([], settings), notCompared: 'a write route without mirrorWrites' })).toBe(
      'not ready: never compared: a write route without mirrorWrites\n',
    );
  });

  // A refused move said "only 0 compared requests ..., at least 20 are needed" or "match rate
  // ... is below ..." where `tandem rollout readiness` and the pages said "volume short: 0 of
  // the 20 ..." and "match rate short: ...", and "it is never compared" where they said "not compared".
  it('a refused move says what tandem rollout readiness and the API summary say', () => {
    const never = { ...readinessOf([], settings), notCompared: 'writes are not mirrored on this route (mirrorWrites is off)' };
    const cases = [readinessOf(outcomes(18, 16), settings), readinessOf(outcomes(0, 2), settings), readinessOf([], settings), never];
    for (const r of cases)
      expect(refusalMessage('route "p"', 'candidate', r)).toBe(
        `route "p" is not ready for candidate: ${readinessSummary(r).replace(/^not ready: /, '')}; send "force": true to override`,
      );
    expect(readinessSummary(never)).toBe('not ready: never compared: writes are not mirrored on this route (mirrorWrites is off)');
    expect(readinessShortfalls(never)).toEqual(['never compared: writes are not mirrored on this route (mirrorWrites is off)']);
  });
});
