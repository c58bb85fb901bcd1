import { bodyClass } from '../../src/records';
import { parseComparedBody as parseForComparison } from '../../src/compare';
import { bodyKind, parseBodyForTranslation } from '../../src/translate';

describe('one body classification', () => {
  it.each([
    ['application/json', 'json'],
    ['Application/Problem+JSON; charset=utf-8', 'json'],
    ['text/json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/csv', 'text'],
    ['application/xml', 'text'],
    ['image/svg+xml', 'text'],
    ['application/javascript', 'text'],
    ['image/png', 'binary'],
    [undefined, 'binary'],
  ])('%s is %s', (ct, kind) => expect(bodyClass(ct)).toBe(kind));

  // The case that disagreed: text/json was JSON for translators and text for the comparison.
  it('text/json is JSON for the comparison and for translators alike', () => {
    const bytes = Buffer.from('{"a":1}');
    expect(bodyKind('text/json')).toBe('json');
    expect(parseBodyForTranslation('text/json', bytes)).toEqual({ a: 1 });
    const compared = parseForComparison(bytes, 'text/json; charset=utf-8');
    expect(compared.kind).toBe('json');
    expect(compared.kind === 'json' && compared.value).toEqual({ a: 1 });
  });

  it('every content type gets the same class from the comparison and the translators (translators: non-UTF-8 text aside)', () => {
    const types = [
      'application/json',
      'text/json',
      'application/vnd.api+json',
      'text/plain',
      'text/html',
      'application/xml',
      'image/svg+xml',
      'application/x-javascript',
      'application/ecmascript',
      'application/x-www-form-urlencoded',
      'image/png',
      'application/octet-stream',
    ];
    const body = Buffer.from('{"a":1}');
    for (const ct of types) {
      const compared = parseForComparison(body, ct).kind;
      expect([ct, compared === 'unparseable' ? 'json' : compared]).toEqual([ct, bodyClass(ct)]);
      expect([ct, bodyKind(ct)]).toEqual([ct, bodyClass(ct)]);
    }
  });
});
