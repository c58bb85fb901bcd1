import { compareResponses, legacyNoisePaths } from '../../src/compare';
import { json, typed } from '../compare/helpers';

describe('noise rules (hand-marked or learned noise paths)', () => {
  it('lists a noise path as noise and classifies noise_only when nothing else differs', () => {
    const r = compareResponses(json({ ts: 1, items: [{ at: 1 }] }), json({ ts: 2, items: [{ at: 2 }] }), {
      rules: { noise: ['ts', 'items[*].at'] },
    });
    expect(r).toEqual({ class: 'noise_only', differences: [], noise: ['items[0].at', 'ts'], suspectedNoise: [] });
  });

  it('still counts the other differences, with a signature without the noise', () => {
    const r = compareResponses(json({ ts: 1, price: 10 }), json({ ts: 2, price: 11 }), { rules: { noise: ['ts'] } });
    expect(r.class).toBe('mismatch');
    expect(r.signature).toBe('price');
    expect(r.noise).toEqual(['ts']);
  });

  it('covers everything below a noise path, but never the status', () => {
    const r = compareResponses(json({ meta: { a: 1, b: [1] } }, 200), json({ meta: { a: 2, b: [2] } }, 404), {
      rules: { noise: ['meta', '$status'] },
    });
    expect(r.differences.map((d) => d.path)).toEqual(['$status']);
    // a status change is one difference: the bodies are not diffed, so there is no body noise to list (issue 16 item 7)
    expect(r.noise).toEqual([]);
  });

  it('treats $body as the root of a text body', () => {
    const r = compareResponses(typed('text/plain', 'at 10:00'), typed('text/plain', 'at 10:01'), { rules: { noise: ['$body'] } });
    expect(r.class).toBe('noise_only');
    expect(r.noise).toEqual(['$body']);
  });

  it('adds to the per-request noise of a legacy repeat', () => {
    const legacy = json({ ts: 1, id: 'a', price: 1 });
    const repeat = json({ ts: 2, id: 'a', price: 1 });
    const r = compareResponses(legacy, json({ ts: 3, id: 'b', price: 1 }), { rules: { noise: ['id'] }, legacyRepeat: repeat });
    expect(r).toEqual({ class: 'noise_only', differences: [], noise: ['id', 'ts'], suspectedNoise: [] });
  });
});

describe('legacyNoisePaths (evidence for learned noise)', () => {
  it('returns the generalised paths where legacy differed from itself, under the ignore rules', () => {
    const a = json({ ts: 1, items: [{ at: 1 }, { at: 5 }], skip: 1, same: 1 });
    const b = json({ ts: 2, items: [{ at: 2 }, { at: 6 }], skip: 2, same: 1 });
    expect(legacyNoisePaths(a, b, { ignore: ['skip'], noise: ['ts'] })).toEqual(['items[*].at', 'ts']);
    expect(legacyNoisePaths(a, a, {})).toEqual([]);
  });

  it('is undefined when the two legacy answers are not comparable (status or body kind)', () => {
    expect(legacyNoisePaths(json({ a: 1 }, 200), json({ a: 1 }, 500), {})).toBeUndefined();
    expect(legacyNoisePaths(json({ a: 1 }), typed('text/plain', 'x'), {})).toBeUndefined();
  });
});
