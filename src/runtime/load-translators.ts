import { builtinTranslators } from '../../translators';
import { loadTranslatorModules } from './load-modules';
import { createTranslatorRegistry, type RouteTranslatorRef, type TranslatorRegistry } from './registry';

/**
 * The registry a running Tandem uses: the builtin example translators plus the
 * config's `translators` modules (relative paths from `baseDir`, default the
 * working directory), checked against the config's routes. Throws a
 * `TranslatorError` at start when anything does not fit.
 *
 * @example
 * const registry = loadTranslators(config);
 * registry.forRoute('orders-list').name; // 'orders-pagination'
 */
export function loadTranslators(
  config: { translators: readonly string[]; routes: readonly RouteTranslatorRef[] },
  baseDir: string = process.cwd(),
): TranslatorRegistry {
  return createTranslatorRegistry([...builtinTranslators, ...loadTranslatorModules(config.translators, baseDir)], config.routes);
}
