import { compareResponses, fromTranslated, type NormalisedResponse } from '../../src/compare';
import { json, typed } from './helpers';

describe('fromTranslated', () => {
  it('keeps a JSON body JSON, even when the translator returns a string', () => {
    const like = json({ a: 1 });
    expect(fromTranslated({ status: 201, headers: { 'Content-Type': 'application/json' }, body: { b: 2 } }, like)).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: { kind: 'json', value: { b: 2 } },
    });
    expect(fromTranslated({ status: 200, headers: {}, body: 'str' }, like).body).toEqual({ kind: 'json', value: 'str' });
    expect(fromTranslated({ status: 200, headers: {}, body: null }, like).body).toEqual({ kind: 'json', value: null });
  });

  it('keeps forms and text, and gives undefined as empty and a Buffer as binary', () => {
    const form = typed('application/x-www-form-urlencoded', 'a=1');
    expect(fromTranslated({ status: 200, headers: {}, body: { a: '2', t: ['x', 'y'] } }, form).body).toEqual({
      kind: 'form',
      value: { a: '2', t: ['x', 'y'] },
    });
    const text = typed('text/plain', 'hi');
    expect(fromTranslated({ status: 200, headers: {}, body: 'ho' }, text).body).toEqual({ kind: 'text', value: 'ho' });
    expect(fromTranslated({ status: 204, headers: {}, body: undefined }, text).body).toEqual({ kind: 'empty' });
    const bin = fromTranslated({ status: 200, headers: {}, body: Buffer.from('abc') }, text).body;
    expect(bin).toEqual({ kind: 'binary', size: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  });

  it('infers the kind when the original was empty', () => {
    const empty: NormalisedResponse = { status: 204, headers: {}, body: { kind: 'empty' } };
    expect(fromTranslated({ status: 200, headers: {}, body: [1] }, empty).body).toEqual({ kind: 'json', value: [1] });
    expect(fromTranslated({ status: 200, headers: {}, body: 'x' }, empty).body).toEqual({ kind: 'text', value: 'x' });
  });

  it('keeps refused bodies as they were', () => {
    const refused: NormalisedResponse = { status: 200, headers: {}, body: { kind: 'unparseable', reason: 'invalid JSON: x' } };
    expect(fromTranslated({ status: 200, headers: {}, body: { a: 1 } }, refused).body).toBe(refused.body);
  });

  it('compares against legacy by value (no raw fast path)', () => {
    const legacy = json({ id: 7, name: 'x' });
    const translated = fromTranslated(
      { status: 200, headers: { 'content-type': 'application/json' }, body: { name: 'x', id: 7 } },
      json({ productId: 7 }),
    );
    expect(translated.raw).toBeUndefined();
    expect(compareResponses(legacy, translated, { rules: {} }).class).toBe('match');
  });
});
