import { gzipSync } from 'node:zlib';
import { compareResponses, DEFAULT_IGNORED_HEADERS, type NormalisedResponse } from '../../src/compare';
import { json, MB, normalise, record, typed } from './helpers';

const NONE = { rules: {} };

describe('status', () => {
  it('reports a status change with equal bodies as a high-risk mismatch', () => {
    const r = compareResponses(json({ a: 1 }, 200), json({ a: 1 }, 404), NONE);
    expect(r).toEqual({
      class: 'mismatch',
      risk: 'high',
      differences: [{ path: '$status', kind: 'changed', legacy: 200, candidate: 404 }],
      noise: [],
      suspectedNoise: [],
      signature: '$status',
    });
  });

  it("gives a result's fields in the order stored records hold them (their JSON is compared across versions)", () => {
    const order = (r: object) => Object.keys(r).filter((k) => (r as Record<string, unknown>)[k] !== undefined);
    const bad = normalise(record(200, { 'content-type': 'application/json' }, '{"a":'));
    expect(order(compareResponses(json({ a: 1 }), json({ a: 1 }), NONE))).toEqual(['class', 'differences', 'noise', 'suspectedNoise']);
    expect(order(compareResponses(json({ a: 1 }), json({ a: 2 }), NONE))).toEqual([
      'class',
      'risk',
      'differences',
      'noise',
      'suspectedNoise',
      'signature',
    ]);
    expect(order(compareResponses(json({ a: 1 }), bad, NONE))).toEqual(['class', 'differences', 'noise', 'suspectedNoise', 'reason']);
    const notCompared = compareResponses(
      json({ a: 1 }, 200),
      normalise(record(404, { 'content-type': 'application/json' }, '{"a":')),
      NONE,
    );
    expect(order(notCompared)).toEqual(['class', 'risk', 'differences', 'noise', 'suspectedNoise', 'signature', 'reason']);
  });

  it('reports a status change as one difference, not the body fields (issue 16 item 7)', () => {
    const r = compareResponses(json({ a: 1 }, 200), json({ a: 2 }, 201), NONE);
    expect(r.differences.map((d) => d.path)).toEqual(['$status']);
    expect(r.signature).toBe('$status');
  });

  it('classifies a candidate 5xx where legacy was not 5xx as candidate_error', () => {
    const r = compareResponses(json({ a: 1 }, 200), json({ error: 'boom' }, 503), NONE);
    expect(r).toEqual({
      class: 'candidate_error',
      differences: [{ path: '$status', kind: 'changed', legacy: 200, candidate: 503 }],
      noise: [],
      suspectedNoise: [],
      reason: 'candidate answered 503 where legacy answered 200',
    });
  });

  it('compares normally when both sides are 5xx', () => {
    expect(compareResponses(json({ e: 1 }, 500), json({ e: 1 }, 500), NONE).class).toBe('match');
    expect(compareResponses(json({ e: 1 }, 500), json({ e: 1 }, 502), NONE)).toMatchObject({ class: 'mismatch', signature: '$status' });
  });
});

describe('headers', () => {
  it('compares content-type by media type only by default', () => {
    const a = json({ a: 1 }, 200, { 'content-type': 'application/json; charset=UTF-8', server: 'x' });
    const b = json({ a: 1 }, 200, { 'content-type': 'Application/JSON;charset=utf-8', server: 'y' });
    expect(compareResponses(a, b, NONE).class).toBe('match');
    const html = normalise(record(200, { 'content-type': 'text/html' }, '{"a":1}'));
    const r = compareResponses(json({ a: 1 }), html, NONE);
    expect(r.differences[0]).toEqual({
      path: '$headers.content-type',
      kind: 'changed',
      legacy: 'application/json',
      candidate: 'text/html',
    });
  });

  it('compares the listed headers; a missing one is removed (high), an extra one added', () => {
    const a = json({}, 200, { 'cache-control': 'max-age=60', vary: ['accept', 'origin'] });
    const b = json({}, 200, { vary: 'accept, origin', 'x-new': '1' });
    const r = compareResponses(a, b, { rules: { headers: ['cache-control', 'vary', 'x-new'], allowAdded: false } });
    expect(r.differences).toEqual([
      { path: '$headers.cache-control', kind: 'removed', legacy: 'max-age=60' },
      { path: '$headers.x-new', kind: 'added', candidate: '1' },
    ]);
    expect(r.risk).toBe('high');
    const forgiven = compareResponses(json({}, 200, { vary: 'accept' }), json({}, 200, { vary: 'accept', 'x-new': '1' }), {
      rules: { headers: ['vary', 'x-new'] },
    });
    expect(forgiven.class).toBe('match');
  });

  it("compares every header but DEFAULT_IGNORED_HEADERS under '*'", () => {
    expect(DEFAULT_IGNORED_HEADERS).toEqual(
      expect.arrayContaining([
        'date',
        'server',
        'connection',
        'transfer-encoding',
        'content-length',
        'etag',
        'x-request-id',
        'set-cookie',
        'age',
        'via',
      ]),
    );
    const a = json({}, 200, { date: 'Mon', etag: '"1"', 'x-request-id': 'a', 'cache-control': 'no-store' });
    const b = json({}, 200, { date: 'Tue', etag: '"2"', 'x-request-id': 'b', 'cache-control': 'private' });
    const r = compareResponses(a, b, { rules: { headers: ['*'] } });
    expect(r.differences).toEqual([{ path: '$headers.cache-control', kind: 'changed', legacy: 'no-store', candidate: 'private' }]);
    const withEtag = compareResponses(a, b, { rules: { headers: ['*', 'etag'] } });
    expect(withEtag.differences.map((d) => d.path)).toEqual(['$headers.cache-control', '$headers.etag']);
  });

  it('skips, under *, the fields a Connection header lists: hop-by-hop (RFC 9110 section 7.6.1), legacy relayed without them', () => {
    // Legacy's record is the response as relayed: its connection options already taken out.
    const a = json({}, 200, { 'cache-control': 'no-store' });
    const b = json({}, 200, { 'cache-control': 'no-store', connection: 'X-Hop, keep-alive', 'x-hop': '1', 'x-other': '2' });
    const r = compareResponses(a, b, { rules: { headers: ['*'], allowAdded: false } });
    expect(r.differences.map((d) => d.path)).toEqual(['$headers.x-other']);
  });

  it('lets ignore rules drop header paths', () => {
    const a = json({}, 200, { 'cache-control': 'a' });
    const b = json({}, 200, { 'cache-control': 'b' });
    expect(compareResponses(a, b, { rules: { headers: ['cache-control'], ignore: ['$headers.cache-control'] } }).class).toBe('match');
  });
});

describe('refused bodies', () => {
  const bad = () => normalise(record(200, { 'content-type': 'application/json' }, '{"a":'));
  const bomb = () =>
    normalise(record(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(50 * MB))), MB);

  it('classifies an unparseable side as unparseable with the reason', () => {
    const r = compareResponses(json({ a: 1 }), bad(), NONE);
    expect(r.class).toBe('unparseable');
    expect(r.reason).toMatch(/^candidate body: invalid JSON: /);
    expect(r.differences).toEqual([]);
    expect(compareResponses(bad(), json({ a: 1 }), NONE).reason).toMatch(/^legacy body: invalid JSON/);
  });

  it('classifies a gzip bomb as too_large', () => {
    const r = compareResponses(json({ a: 1 }), bomb(), NONE);
    expect(r).toMatchObject({ class: 'too_large', reason: `candidate body: gzip body decompresses to more than ${MB} bytes; refused` });
  });

  it('prefers too_large over unparseable', () => {
    expect(compareResponses(bad(), bomb(), NONE).class).toBe('too_large');
  });

  it('still reports a status change as a mismatch, saying the body was not compared', () => {
    const r = compareResponses(json({ a: 1 }, 200), normalise(record(404, { 'content-type': 'application/json' }, 'Not Found')), NONE);
    expect(r.class).toBe('mismatch');
    expect(r.risk).toBe('high');
    expect(r.differences).toEqual([{ path: '$status', kind: 'changed', legacy: 200, candidate: 404 }]);
    expect(r.reason).toMatch(/^status changed; body not compared: candidate body: invalid JSON/);
  });

  it('refuses a pathologically deep document instead of overflowing the stack', () => {
    const deep = (leaf: number) =>
      normalise(record(200, { 'content-type': 'application/json' }, '['.repeat(200_000) + leaf + ']'.repeat(200_000)));
    const r = compareResponses(deep(1), deep(2), NONE);
    expect(r.class).toBe('unparseable');
    expect(r.reason).toMatch(/^body nested too deeply to compare: /);
  });

  it('matches identical raw bytes even when they cannot be parsed', () => {
    expect(compareResponses(bad(), bad(), NONE).class).toBe('match');
  });
});

describe('empty bodies', () => {
  it('matches two 204s', () => {
    const a = normalise(record(204, {}, ''));
    expect(compareResponses(a, normalise(record(204, {})), NONE)).toEqual({
      class: 'match',
      differences: [],
      noise: [],
      suspectedNoise: [],
    });
  });

  it('reports a body that disappeared as removed and one that appeared only when additions count', () => {
    const empty = normalise(record(200, { 'content-type': 'application/json' }, ''));
    expect(compareResponses(json({ a: 1 }), empty, NONE).differences).toEqual([{ path: '$body', kind: 'removed', legacy: 'json' }]);
    expect(compareResponses(empty, json({ a: 1 }), NONE).class).toBe('match');
    expect(compareResponses(empty, json({ a: 1 }), { rules: { allowAdded: false } }).differences).toEqual([
      { path: '$body', kind: 'added', candidate: 'json' },
    ]);
  });

  it('reports a different body kind as a $body type change', () => {
    const r = compareResponses(typed('text/plain', 'x'), typed('image/png', 'x'), { rules: { headers: [] } });
    expect(r.differences).toEqual([{ path: '$body', kind: 'type_changed', legacy: 'text', candidate: 'binary' }]);
  });
});

describe('form, text and binary bodies', () => {
  const FORM = 'application/x-www-form-urlencoded';

  it('compares forms as key → value maps', () => {
    expect(compareResponses(typed(FORM, 'a=1&b=2'), typed(FORM, 'b=2&a=1'), NONE).class).toBe('match');
    const r = compareResponses(typed(FORM, 'a=1&b=2&c=3'), typed(FORM, 'a=1&b=9'), NONE);
    expect(r.differences).toEqual([
      { path: 'b', kind: 'changed', legacy: '2', candidate: '9' },
      { path: 'c', kind: 'removed', legacy: '3' },
    ]);
  });

  it('compares a form field sent once against a repeated one as lists', () => {
    const r = compareResponses(typed(FORM, 'tag=a'), typed(FORM, 'tag=a&tag=b'), NONE);
    expect(r.differences).toEqual([{ path: 'tag[1]', kind: 'added', candidate: 'b' }]);
  });

  it('diffs text by line and lists the first differing line numbers', () => {
    const legacy = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].join('\n');
    const candidate = ['l0', 'l1', 'l2', 'L3', 'l4', 'l5'].join('\n');
    const r = compareResponses(typed('text/plain', legacy), typed('text/plain', candidate), NONE);
    expect(r).toMatchObject({ class: 'mismatch', risk: 'medium', signature: '$body' });
    expect(r.differences).toEqual([
      {
        path: '$body',
        kind: 'changed',
        legacy: { lines: 6, differing: 2, firstDifferingLines: [3, 6] },
        candidate: { lines: 6, differing: 2, firstDifferingLines: [1, 4] },
      },
    ]);
  });

  it('lists at most five differing lines per side', () => {
    const many = (p: string) => Array.from({ length: 20 }, (_, i) => `${p}${i}`).join('\n');
    const d = compareResponses(typed('text/plain', many('a')), typed('text/plain', many('b')), NONE).differences[0];
    expect(d.legacy).toEqual({ lines: 20, differing: 20, firstDifferingLines: [1, 2, 3, 4, 5] });
  });

  it('compares binary bodies by size and sha256', () => {
    const a = typed('application/octet-stream', Buffer.from([1, 2, 3]));
    expect(compareResponses(a, typed('application/octet-stream', Buffer.from([1, 2, 3])), NONE).class).toBe('match');
    const r = compareResponses(a, typed('application/octet-stream', Buffer.from([1, 2, 4, 5])), NONE);
    expect(r.differences).toEqual([
      {
        path: '$body',
        kind: 'changed',
        legacy: { size: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        candidate: { size: 4, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    ]);
  });

  it('compares gzip against identity by content', () => {
    const plain = normalise(record(200, { 'content-type': 'application/json' }, '{"a":[1,2]}'));
    const zipped = normalise(record(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"a":[1,2]}')));
    expect(compareResponses(plain, zipped, NONE).class).toBe('match');
  });
});

describe('noise cancellation with legacyRepeat', () => {
  const legacy = json({ id: 1, price: 10, meta: { generatedAt: 'a', node: 'n1' } });
  const repeat = json({ id: 1, price: 10, meta: { generatedAt: 'b', node: 'n2' } });

  it('subtracts paths where legacy differs from itself and lists them as noise', () => {
    const candidate = json({ id: 1, price: 11, meta: { generatedAt: 'c', node: 'n1' } });
    const r = compareResponses(legacy, candidate, { rules: {}, legacyRepeat: repeat });
    expect(r).toEqual({
      class: 'mismatch',
      risk: 'medium',
      differences: [{ path: 'price', kind: 'changed', legacy: 10, candidate: 11 }],
      noise: ['meta.generatedAt'],
      suspectedNoise: [],
      signature: 'price',
    });
  });

  it('gives noise_only when every difference was noise', () => {
    const candidate = json({ id: 1, price: 10, meta: { generatedAt: 'c', node: 'n3' } });
    const r = compareResponses(legacy, candidate, { rules: {}, legacyRepeat: repeat });
    expect(r).toEqual({ class: 'noise_only', differences: [], noise: ['meta.generatedAt', 'meta.node'], suspectedNoise: [] });
  });

  it('cancels differences below a noisy path but not a removal of its parent', () => {
    const rep = json({ id: 1, price: 10, meta: 'changed shape' });
    const below = compareResponses(legacy, json({ id: 1, price: 10, meta: { generatedAt: 'z', node: 'n1' } }), {
      rules: {},
      legacyRepeat: rep,
    });
    expect(below.class).toBe('noise_only');
    const rep2 = json({ id: 1, price: 10, meta: { generatedAt: 'b', node: 'n1' } });
    const removed = compareResponses(legacy, json({ id: 1, price: 10 }), { rules: {}, legacyRepeat: rep2 });
    expect(removed).toMatchObject({ class: 'mismatch', differences: [{ path: 'meta', kind: 'removed' }], noise: [] });
  });

  it('does not use a repeat whose status or body kind differs from legacy', () => {
    const candidate = json({ id: 1, price: 10, meta: { generatedAt: 'c', node: 'n1' } });
    const failed = json({ error: 'x' }, 500);
    expect(compareResponses(legacy, candidate, { rules: {}, legacyRepeat: failed })).toMatchObject({ class: 'mismatch', noise: [] });
  });

  it('is not consulted for a match', () => {
    expect(compareResponses(legacy, legacy, { rules: {}, legacyRepeat: repeat })).toEqual({
      class: 'match',
      differences: [],
      noise: [],
      suspectedNoise: [],
    });
  });
});

describe('suspected noise', () => {
  it('flags differences where both values look volatile, without hiding them', () => {
    const a = json({ at: '2024-05-01T10:00:00Z', id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ts: 1714557600, name: 'a' });
    const b = json({ at: '2024-05-01T10:00:02Z', id: '9c5b94b1-35ad-49bb-b118-8e8fc24abf80', ts: 1714557601, name: 'b' });
    const r = compareResponses(a, b, NONE);
    expect(r.class).toBe('mismatch');
    expect(r.differences).toHaveLength(4);
    expect(r.suspectedNoise).toEqual(['at', 'id', 'ts']);
    expect(r.signature).toBe('at|id|name|ts');
  });

  it('does not flag when only one side looks volatile', () => {
    const r = compareResponses(json({ at: '2024-05-01T10:00:00Z' }), json({ at: 'soon' }), NONE);
    expect(r.suspectedNoise).toEqual([]);
  });
});

describe('signature', () => {
  it('generalises indices and keyed selectors and sorts unique paths', () => {
    const a = json({
      items: [
        { id: 1, p: 1 },
        { id: 2, p: 2 },
      ],
      z: 1,
      b: [1, 2],
    });
    const b = json({
      items: [
        { id: 1, p: 3 },
        { id: 2, p: 4 },
      ],
      z: 2,
      b: [3, 4],
    });
    expect(compareResponses(a, b, NONE).signature).toBe('b[*]|items[*].p|z');
    expect(compareResponses(a, b, { rules: { arrayKeys: { items: 'id' } } }).signature).toBe('b[*]|items[*].p|z');
  });
});

describe('fast path', () => {
  it('matches the same object without diffing', () => {
    const a: NormalisedResponse = { status: 200, headers: {}, body: { kind: 'json', value: { a: [1, 2, { b: 'c' }] } } };
    const b: NormalisedResponse = { status: 200, headers: {}, body: { kind: 'json', value: { a: [1, 2, { b: 'c' }] } } };
    expect(compareResponses(a, b, NONE).class).toBe('match');
  });

  it('compares 2 KB JSON by value on the deep-equal path (speed is measured by npm run bench, not here)', () => {
    const doc = {
      items: Array.from({ length: 28 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.5, tags: ['a', 'b'], active: i % 2 === 0 })),
    };
    expect(JSON.stringify(doc).length).toBeGreaterThan(1800);
    const a = json(doc);
    // Same values, other bytes: exercises the deep-equal path, not the identical-bytes one.
    const same = normalise(record(200, { 'content-type': 'application/json' }, JSON.stringify(doc, null, 1)));
    const other = json({ ...doc, items: doc.items.map((it, i) => (i % 5 === 0 ? { ...it, price: -1 } : it)) });
    expect(compareResponses(a, same, NONE).class).toBe('match');
    expect(compareResponses(a, other, NONE).differences).toHaveLength(6);
  });
});
