import { createTranslatorRegistry, defineTranslator, identityTranslator, TranslatorError, TRANSLATOR_ERRORS } from '../../src/translate';
import { builtinTranslators } from '../../translators';
import { thrownBy } from '../support/thrown';

const a = defineTranslator({ name: 'a', request: (r) => r });
const b = defineTranslator({ name: 'b', response: (r) => r, routes: ['orders'] });

const thrown = (fn: () => unknown) => thrownBy(TranslatorError, fn);

describe('createTranslatorRegistry', () => {
  it('resolves the named translator, then a claim, then identity', () => {
    const registry = createTranslatorRegistry([a, b], [{ name: 'products', translator: 'a' }, { name: 'orders' }, { name: 'health' }]);
    expect(registry.forRoute('products')).toBe(a);
    expect(registry.forRoute('orders')).toBe(b);
    expect(registry.forRoute('health')).toBe(identityTranslator);
    expect(registry.forRoute('not-configured')).toBe(identityTranslator);
    expect(registry.names).toEqual(['a', 'b', 'identity']);
    expect(registry.get('b')).toBe(b);
    expect(registry.get('zzz')).toBeUndefined();
  });

  it('lets a route name a translator over a claim, and name identity to opt out', () => {
    const registry = createTranslatorRegistry([a, b], [{ name: 'orders', translator: 'identity' }]);
    expect(registry.forRoute('orders')).toBe(identityTranslator);
  });

  it('rejects a route naming an unknown translator, naming route and registered translators', () => {
    const e = thrown(() => createTranslatorRegistry([a], [{ name: 'orders', translator: 'order-pagination' }]));
    expect(e.code).toBe(TRANSLATOR_ERRORS.UNKNOWN);
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_UNKNOWN');
    expect(e.message).toBe('route "orders" names translator "order-pagination", which is not registered (registered: a, identity)');
  });

  it('rejects two translators with the same name', () => {
    const e = thrown(() => createTranslatorRegistry([a, defineTranslator({ name: 'a', response: (r) => r })], []));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_CONFLICT');
    expect(e.message).toMatch(/^two translators are named "a": "a" and "a"/);
  });

  it('names the origin of a builtin in a duplicate-name error', () => {
    const copy = defineTranslator({ name: 'products-v2', request: (r) => r });
    const e = thrown(() => createTranslatorRegistry([...builtinTranslators, copy], []));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_CONFLICT');
    expect(e.message).toContain('"products-v2" (from builtin) and "products-v2"');
  });

  it('reserves the name identity', () => {
    const e = thrown(() => createTranslatorRegistry([defineTranslator({ name: 'identity', request: (r) => r })], []));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_CONFLICT');
    expect(e.message).toContain('reserved name "identity"');
  });

  it('rejects two translators claiming a route that names none', () => {
    const c = defineTranslator({ name: 'c', request: (r) => r, routes: ['orders'] });
    const e = thrown(() => createTranslatorRegistry([b, c], [{ name: 'orders' }]));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_CONFLICT');
    expect(e.message).toBe(
      'route "orders" is claimed by translators "b" and "c"; name one of them on the route (translator: b) or remove a claim',
    );
  });

  it('accepts conflicting claims when the route names its translator', () => {
    const c = defineTranslator({ name: 'c', request: (r) => r, routes: ['orders'] });
    expect(createTranslatorRegistry([b, c], [{ name: 'orders', translator: 'c' }]).forRoute('orders')).toBe(c);
  });

  it('rejects malformed translators with every problem listed', () => {
    const bad = { name: '', request: 'nope', routes: 'orders', timeoutMs: -1 } as unknown as typeof a;
    const e = thrown(() => createTranslatorRegistry([a, bad], []));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_INVALID');
    expect(e.message).toBe(
      'translators[1] is not a valid translator: name must be a non-empty string of letters, digits, "_", "." or "-", got ""; ' +
        'request must be a function, got string; routes must be an array of route names; timeoutMs must be a positive number, got -1',
    );
  });

  it('registers every builtin example by its file name, claiming no route', () => {
    const registry = createTranslatorRegistry(builtinTranslators, []);
    expect(registry.names).toEqual([
      'candidate-auth-headers',
      'customers-name-split',
      'identity',
      'legacy-stringly-types',
      'orders-pagination',
      'products-v2',
    ]);
    expect(builtinTranslators.every((t) => t.routes === undefined)).toBe(true);
  });
});
