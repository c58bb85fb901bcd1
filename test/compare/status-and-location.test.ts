import { compareResponses } from '../../src/compare';
import { locationTarget } from '../../src/compare/diff-location';
import { contentHash } from '../../src/store';
import type { ExchangeRecord } from '../../src/records';
import { json, normalise, record } from './helpers';

const redirect = (location: string | undefined, status = 302) => normalise(record(status, location === undefined ? {} : { location }));

describe('a status change is one difference', () => {
  it('lists $status alone for a 404 against a 200, whatever the bodies', () => {
    const r = compareResponses(json({ id: 1, name: 'a', plan: 'x', tags: [1] }), json({ error: 'not found' }, 404), { rules: {} });
    expect(r).toMatchObject({ class: 'mismatch', risk: 'high', signature: '$status' });
    expect(r.differences).toEqual([{ path: '$status', kind: 'changed', legacy: 200, candidate: 404 }]);
  });
});

describe('location is compared on redirects by default, as a URL', () => {
  it('reports a 302 to another path', () => {
    const r = compareResponses(redirect('/account'), redirect('/login'), { rules: {} });
    expect(r.differences).toEqual([{ path: '$headers.location', kind: 'changed', legacy: '/account', candidate: '/login' }]);
    expect(compareResponses(redirect('/account'), redirect(undefined), { rules: {} }).differences[0]).toMatchObject({ kind: 'removed' });
  });

  it('matches the same target written differently, and a redirect back to the host the backend was given', () => {
    expect(
      compareResponses(redirect('/a/./b?q=1'), redirect('http://shop.example/a/b?q=1'), { rules: {}, selfHosts: ['shop.example'] }).class,
    ).toBe('match');
    expect(compareResponses(redirect('/a'), redirect('https://evil.example/a'), { rules: {}, selfHosts: ['shop.example'] }).class).toBe(
      'mismatch',
    );
    expect(locationTarget('HTTP://Shop.Example:80/x/../y', ['shop.example'])).toBe('/y');
  });

  it('can be ignored, and is not compared on other statuses unless listed', () => {
    expect(compareResponses(redirect('/a'), redirect('/b'), { rules: { ignore: ['$headers.location'] } }).class).toBe('match');
    expect(compareResponses(redirect('/a', 201), redirect('/b', 201), { rules: {} }).class).toBe('match');
  });
});

describe('the dedupe hash covers everything compared', () => {
  it('differs for equal bodies with different header differences', () => {
    const ex = { route: 'r', legacy: { status: 200, body: null }, candidate: { status: 200, body: null } } as unknown as ExchangeRecord;
    const a = contentHash(ex, undefined, {
      differences: [{ path: '$headers.x-v', kind: 'changed', legacy: '1', candidate: 'A' }],
      noise: [],
    });
    const b = contentHash(ex, undefined, {
      differences: [{ path: '$headers.x-v', kind: 'changed', legacy: '1', candidate: 'B' }],
      noise: [],
    });
    expect(a).not.toBe(b);
    expect(contentHash(ex, undefined, { differences: [], noise: [] })).toBe(contentHash(ex, undefined, { differences: [], noise: [] }));
  });
});
