import { bucketOf, decidePhase, groupsByCustomer, inRollout, type RouteRollout } from '../../src/rollout';
import { decodeRoute } from '../../src/rollout/state-codec';

const route = (o: Partial<RouteRollout> = {}): RouteRollout => ({
  phase: 'shadow',
  percentage: 0,
  sampleRate: 1,
  customers: {},
  groups: {},
  ...o,
});
const ids = Array.from({ length: 2000 }, (_, i) => `customer-${i}`);

describe('percentage rollout by consistent hashing', () => {
  it('puts each customer in a fixed bucket from 0 to 99', () => {
    expect(bucketOf('acme')).toBe(bucketOf('acme'));
    const buckets = ids.map(bucketOf);
    expect(Math.min(...buckets)).toBe(0);
    expect(Math.max(...buckets)).toBe(99);
  });

  it('rolls out roughly the given share, and raising it only adds customers', () => {
    let previous = new Set<string>();
    for (const pct of [0, 1, 5, 10, 25, 50, 90, 100]) {
      const inside = new Set(ids.filter((c) => inRollout(c, pct)));
      for (const c of previous) expect(inside.has(c)).toBe(true);
      expect(Math.abs(inside.size / ids.length - pct / 100)).toBeLessThan(0.04);
      previous = inside;
    }
    expect(previous.size).toBe(ids.length);
  });
});

describe('the phase of a request', () => {
  const inside = ids.find((c) => bucketOf(c) < 10)!;
  const outside = ids.find((c) => bucketOf(c) >= 10)!;

  it('takes the customer override over group, percentage and route', () => {
    const r = route({ percentage: 100, customers: { acme: 'legacy' }, groups: { beta: 'candidate-only' } });
    expect(decidePhase(r, 'acme', ['beta'])).toEqual({ phase: 'legacy', source: 'customer', sampleRate: 1 });
  });

  it('takes a group over the percentage, the first group by name when several apply', () => {
    const r = route({ percentage: 100, groups: { beta: 'candidate', alpha: 'legacy' } });
    const groups = groupsByCustomer({ beta: ['acme'], alpha: ['acme'], other: ['x'] });
    expect(groups.get('acme')).toEqual(['alpha', 'beta']);
    expect(decidePhase(r, 'acme', groups.get('acme')!)).toMatchObject({ phase: 'legacy', source: 'group' });
    expect(decidePhase(r, 'x', groups.get('x')!)).toMatchObject({ phase: 'candidate', source: 'percentage' });
  });

  it('gives customers inside the percentage the candidate, the others the route phase', () => {
    const r = route({ percentage: 10, sampleRate: 0.5 });
    expect(decidePhase(r, inside, [])).toEqual({ phase: 'candidate', source: 'percentage', sampleRate: 0.5 });
    expect(decidePhase(r, outside, [])).toEqual({ phase: 'shadow', source: 'route', sampleRate: 0.5 });
  });

  it('does not let a percentage take a route back from candidate-only', () => {
    expect(decidePhase(route({ phase: 'candidate-only', percentage: 100 }), inside, [])).toMatchObject({
      phase: 'candidate-only',
      source: 'route',
    });
  });

  it('treats ids like constructor or __proto__ as plain customers', () => {
    expect(decidePhase(route(), 'constructor', ['toString'])).toMatchObject({ phase: 'shadow', source: 'route' });
    const r = decodeRoute({ 'customer:__proto__': '"candidate"' }, { name: 'p', phase: 'shadow', sampleRate: 1 });
    expect(Object.keys(r.customers)).toEqual(['__proto__']);
    expect(decidePhase(r, '__proto__', [])).toMatchObject({ phase: 'candidate', source: 'customer' });
    expect(decidePhase(r, 'hasOwnProperty', [])).toMatchObject({ phase: 'shadow', source: 'route' });
  });

  it('keeps anonymous requests on the route phase whatever the overrides', () => {
    const r = route({ percentage: 100, customers: { anonymous: 'candidate' } });
    expect(decidePhase(r, 'anonymous', [])).toMatchObject({ phase: 'shadow', source: 'route' });
  });
});
