/**
 * The error `fn` throws, checked to be an instance of `kind` (fails the test otherwise),
 * so its code and message can be asserted.
 *
 * @example
 * expect(thrownBy(TranslatorError, () => load(bad)).code).toBe('TRANSLATOR_INVALID');
 */
export function thrownBy<E extends Error>(kind: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(kind);
    return e as E;
  }
  throw new Error(`expected a ${kind.name}`);
}
