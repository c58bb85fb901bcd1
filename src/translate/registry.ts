// From its file, not the config's index: a comparison thread loads this without zod and the schema.
import { closest } from '../config/describe-issues';
import { TRANSLATOR_ERRORS, TranslatorError } from './errors';
import { identityTranslator } from './identity';
import type { Translator } from './types';
import { assertTranslator, describeTranslator } from './validate-translator';

/**
 * Which translator runs for which route, resolved once at start.
 *
 * @example
 * const t = registry.forRoute('orders-list'); // identityTranslator when none applies
 */
export interface TranslatorRegistry {
  /**
   * The translator of a route: the one the route names, else the one claiming it
   * (`routes: [...]`), else `identityTranslator`.
   */
  forRoute(routeName: string): Translator;
  /** A translator by name (`identity` included), or undefined. */
  get(name: string): Translator | undefined;
  /** Registered names, sorted, `identity` included. */
  readonly names: readonly string[];
}

/**
 * The part of a configured route the registry needs.
 *
 * @example
 * const ref: RouteTranslatorRef = { name: 'orders-list', translator: 'orders-pagination' };
 */
export interface RouteTranslatorRef {
  name: string;
  translator?: string;
}

/**
 * Check translators against the routes and index them. Every problem is found before it
 * throws a `TranslatorError` (`TranslatorError.of`: `e.all` lists each one):
 * INVALID for a malformed translator, CONFLICT for a duplicate name (or the
 * reserved `identity`) or for two translators claiming a route that names none,
 * UNKNOWN for a route naming an unregistered translator.
 *
 * @example
 * const registry = createTranslatorRegistry([...builtinTranslators, ...loaded], config.routes);
 * const t = registry.forRoute('product-detail');
 */
export function createTranslatorRegistry(translators: readonly Translator[], routes: readonly RouteTranslatorRef[]): TranslatorRegistry {
  // Every problem is collected, then thrown together (`TranslatorError.of`): a first one never hides the rest.
  const errors: TranslatorError[] = [];
  const byName = new Map<string, Translator>([[identityTranslator.name, identityTranslator]]);
  translators.forEach((t, i) => {
    try {
      assertTranslator(t, `translators[${i}]`);
    } catch (e) {
      if (!(e instanceof TranslatorError)) throw e;
      errors.push(e);
      return;
    }
    const existing = byName.get(t.name);
    if (existing === identityTranslator) {
      errors.push(
        new TranslatorError(
          TRANSLATOR_ERRORS.CONFLICT,
          `translator ${describeTranslator(t)} uses the reserved name "identity"; pick another name`,
        ),
      );
    } else if (existing) {
      errors.push(
        new TranslatorError(
          TRANSLATOR_ERRORS.CONFLICT,
          `two translators are named "${t.name}": ${describeTranslator(existing)} and ${describeTranslator(t)}; names must be unique`,
        ),
      );
    } else byName.set(t.name, t);
  });

  const explicit = new Map(routes.filter((r) => r.translator !== undefined).map((r) => [r.name, r.translator as string]));
  for (const route of routes) {
    if (route.translator !== undefined && !byName.has(route.translator)) {
      const registered = [...byName.keys()].sort();
      const near = closest(route.translator, registered);
      errors.push(
        new TranslatorError(
          TRANSLATOR_ERRORS.UNKNOWN,
          `route "${route.name}" names translator "${route.translator}", which is not registered (${near ? `did you mean "${near}"? ` : ''}registered: ${registered.join(', ')})`,
        ),
      );
    }
  }

  const claims = new Map<string, Translator>();
  for (const t of byName.values()) {
    for (const routeName of new Set(t.routes ?? [])) {
      const other = claims.get(routeName);
      if (other && !explicit.has(routeName)) {
        errors.push(
          new TranslatorError(
            TRANSLATOR_ERRORS.CONFLICT,
            `route "${routeName}" is claimed by translators ${describeTranslator(other)} and ${describeTranslator(t)}; ` +
              `name one of them on the route (translator: ${other.name}) or remove a claim`,
          ),
        );
      }
      if (!other) claims.set(routeName, t);
    }
  }
  if (errors.length) throw TranslatorError.of(errors);

  const names = Object.freeze([...byName.keys()].sort());
  return {
    names,
    get: (name) => byName.get(name),
    forRoute(routeName) {
      const named = explicit.get(routeName);
      return (named !== undefined ? byName.get(named) : claims.get(routeName)) ?? identityTranslator;
    },
  };
}
