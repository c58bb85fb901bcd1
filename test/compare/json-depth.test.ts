import { jsonTooDeep, MAX_JSON_DEPTH } from '../../src/records';
import { parseComparedBody as parseBody } from '../../src/compare/parse-body';
import { parseTranslatableBody as parseForTranslator } from '../../src/translate/body-codec';

const nest = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

describe('JSON depth bound', () => {
  it('counts arrays and objects, skipping brackets inside strings and escapes', () => {
    expect(jsonTooDeep('[[1]]', 2)).toBe(false);
    expect(jsonTooDeep('[[[1]]]', 2)).toBe(true);
    expect(jsonTooDeep(Buffer.from('{"x":"[[[[\\"[[[["}'), 1)).toBe(false);
    expect(jsonTooDeep(Buffer.from(nest(MAX_JSON_DEPTH / 2)))).toBe(false);
    expect(jsonTooDeep(Buffer.from(nest(MAX_JSON_DEPTH)))).toBe(true);
  });

  it('makes the comparison refuse a too-deep body as unparseable and translators get its bytes', () => {
    const deep = Buffer.from(nest(5000));
    expect(parseBody(deep, 'application/json')).toEqual({
      kind: 'unparseable',
      reason: `JSON nests deeper than ${MAX_JSON_DEPTH} levels; not parsed`,
    });
    expect(parseForTranslator(deep, { 'content-type': 'application/json' })).toBe(deep);
  });
});
