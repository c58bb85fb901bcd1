/**
 * The translator registry of a process, in a file of its own so a comparison thread
 * builds it without loading the rest of the composition root (queue, store, BullMQ).
 */
import { builtinTranslators } from '../../translators';
import {
  createTranslatorRegistry,
  loadEachTranslatorModule,
  TranslatorError,
  type RouteTranslatorRef,
  type TranslatorRegistry,
} from '../translate';

/**
 * The registry a running Tandem uses: the builtin example translators (`translators/`,
 * passed in here, at the composition root: src/translate never imports them) plus the
 * config's `translators` modules (relative paths from `baseDir`, default the
 * working directory), checked against the config's routes. Throws a
 * `TranslatorError` at start when anything does not fit, naming every problem at once
 * (`e.all`: each module that does not load, each unregistered name, each conflict).
 *
 * @example
 * const registry = createTranslatorsFor(config);
 * registry.forRoute('orders-list').name; // 'orders-pagination'
 */
export function createTranslatorsFor(
  config: { translators: readonly string[]; routes: readonly RouteTranslatorRef[] },
  baseDir: string = process.cwd(),
): TranslatorRegistry {
  // Every module is tried and the registry checked with those that loaded, so one bad
  // module never hides another, nor a route naming an unregistered translator.
  const { translators, errors } = loadEachTranslatorModule(config.translators, baseDir);
  try {
    const registry = createTranslatorRegistry([...builtinTranslators, ...translators], config.routes);
    if (!errors.length) return registry;
  } catch (e) {
    if (!(e instanceof TranslatorError)) throw e;
    errors.push(...e.all);
  }
  throw TranslatorError.of(errors);
}
