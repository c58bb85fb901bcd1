import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { atPath, isRecord, mapBody, mapKeys, moveValue, stringly, toBooleanValue, toNumberValue, toStringValue } from '../../src';

describe('mapKeys', () => {
  it('renames a bare key at any depth, in place, without touching the input', () => {
    const input = { title: 'top', items: [{ id: 1, title: 'Mug', tags: [{ title: 't' }] }] };
    const out = mapKeys({ rename: { title: 'name' } })(input);
    expect(out).toEqual({ name: 'top', items: [{ id: 1, name: 'Mug', tags: [{ name: 't' }] }] });
    expect(Object.keys((out as { items: object[] }).items[0])).toEqual(['id', 'name', 'tags']);
    expect(input.items[0].title).toBe('Mug');
  });

  it('renames, drops and coerces only where a pattern says', () => {
    const spec = mapKeys({ rename: { 'items[*].title': 'name' }, drop: ['items[*].internal'], coerce: { 'items[*].id': toStringValue } });
    expect(spec({ title: 'keep', id: 7, items: [{ id: 1, title: 'a', internal: true }, { id: null }] })).toEqual({
      title: 'keep',
      id: 7,
      items: [{ id: '1', name: 'a' }, { id: null }],
    });
  });

  it('moves values between paths, after renames', () => {
    expect(
      mapKeys({ move: { 'price.amount': 'price', 'meta.total': 'total' } })({ price: { amount: 5, currency: 'EUR' }, meta: { total: 2 } }),
    ).toEqual({ price: 5, meta: {}, total: 2 });
    expect(moveValue({ a: 1 }, 'missing', 'b')).toEqual({ a: 1 });
    expect(moveValue({ name: 'x' }, 'name', 'profile.name')).toEqual({ profile: { name: 'x' } });
  });

  it('handles missing fields, nulls, empty lists and non-objects', () => {
    const step = mapKeys({ rename: { title: 'name' }, coerce: { '**.id': toNumberValue } });
    expect(step(null)).toBeNull();
    expect(step([])).toEqual([]);
    expect(step('text')).toBe('text');
    expect(step({ id: null, items: [] })).toEqual({ id: null, items: [] });
    expect(step(undefined)).toBeUndefined();
  });

  it('keeps numbers beyond 2^53 exact, as lossless-json numbers and as strings', () => {
    const body = parse('{"id":9007199254740993,"items":[{"id":"12345678901234567890"}],"price":"12.50"}');
    const out = mapKeys({ coerce: { id: toStringValue, 'items[*].id': toNumberValue, price: toNumberValue } })(body) as Record<
      string,
      unknown
    >;
    expect(out.id).toBe('9007199254740993');
    expect(stringify(out)).toBe('{"id":"9007199254740993","items":[{"id":12345678901234567890}],"price":12.5}');
    const back = mapKeys({ coerce: { id: toNumberValue } })(out) as Record<string, unknown>;
    expect(isLosslessNumber(back.id)).toBe(true);
    expect(mapKeys({ rename: { value: 'v' } })({ n: new LosslessNumber('9007199254740993') })).toEqual({
      n: new LosslessNumber('9007199254740993'),
    });
  });

  it('applies a step at matching paths with atPath, and composes with mapBody', () => {
    const step = mapBody(atPath('items[*]', (item) => ({ ...(item as object), seen: true })));
    expect(step({ status: 200, body: { items: [{ id: 1 }] } })).toEqual({ status: 200, body: { items: [{ id: 1, seen: true }] } });
  });

  it('stops at a bounded depth instead of overflowing the stack', () => {
    let deep: unknown = { title: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => mapKeys({ rename: { title: 'name' } })(deep)).not.toThrow();
  });
});

describe('coercions', () => {
  it('convert ids and flags both ways, leaving other values', () => {
    expect([toStringValue(42), toStringValue(10n ** 20n), toStringValue(null), toStringValue('x')]).toEqual([
      '42',
      '100000000000000000000',
      null,
      'x',
    ]);
    expect([
      toNumberValue('42'),
      toNumberValue('-0.5'),
      toNumberValue('1e3'),
      toNumberValue('007'),
      toNumberValue(''),
      toNumberValue(null),
    ]).toEqual([42, -0.5, 1000, '007', '', null]);
    expect(toNumberValue('0.1000000000000000055511151231257827')).toEqual(new LosslessNumber('0.1000000000000000055511151231257827'));
    expect([toBooleanValue('TRUE'), toBooleanValue('false'), toBooleanValue(0), toBooleanValue('yes')]).toEqual([
      true,
      false,
      false,
      'yes',
    ]);
  });

  it('renders numbers and null as strings the way old APIs did', () => {
    expect(stringly()({ id: 42, big: new LosslessNumber('9007199254740993'), tags: [1, null], ok: true, note: 'n' })).toEqual({
      id: '42',
      big: '9007199254740993',
      tags: ['1', ''],
      ok: true,
      note: 'n',
    });
    expect(stringly({ nullAs: null })({ a: null, b: 1.5 })).toEqual({ a: null, b: '1.5' });
    expect(stringly({ nullAs: 'null' })(null)).toBe('null');
  });
});

describe('isRecord', () => {
  it('accepts plain objects from another realm and refuses arrays, buffers and lossless numbers', () => {
    const { runInNewContext } = require('node:vm') as typeof import('node:vm');
    const foreign = runInNewContext('({ title: "x" })');
    expect(isRecord(foreign)).toBe(true);
    expect(mapKeys({ rename: { title: 'name' } })(foreign)).toEqual({ name: 'x' });
    expect([
      isRecord([]),
      isRecord(Buffer.from('a')),
      isRecord(new LosslessNumber('1')),
      isRecord(null),
      isRecord(Object.create(null)),
    ]).toEqual([false, false, false, false, true]);
  });
});
