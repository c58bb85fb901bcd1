import { setTranslatorOrigin } from '../src/translate/validate-translator';
import type { Translator } from '../src/translate/types';
import candidateAuthHeaders from './candidate-auth-headers';
import customersNameSplit from './customers-name-split';
import legacyStringlyTypes from './legacy-stringly-types';
import ordersPagination from './orders-pagination';
import productsV2 from './products-v2';

/**
 * The worked examples, registered by name so a route can use one with
 * `translator: <name>`. None claims routes on its own.
 *
 * @example
 * createTranslatorRegistry([...builtinTranslators, ...loaded], config.routes);
 */
export const builtinTranslators: readonly Translator[] = Object.freeze([
  productsV2,
  ordersPagination,
  customersNameSplit,
  legacyStringlyTypes,
  candidateAuthHeaders,
]);
for (const t of builtinTranslators) setTranslatorOrigin(t, 'builtin');

export { productsV2, ordersPagination, customersNameSplit, legacyStringlyTypes, candidateAuthHeaders };
export { stringlyTyped } from './legacy-stringly-types';
