/**
 * Translation: reshape a legacy request for the candidate and the candidate's
 * response back into the legacy contract. Builtin example translators live in the
 * top-level `translators/` folder (`builtinTranslators`), which imports this folder and
 * never the reverse; `createTranslatorsFor` (src/runtime) puts the two together.
 *
 * @example
 * const registry = createTranslatorRegistry([...builtins, ...loadTranslatorModules(config.translators)], config.routes);
 * const t = registry.forRoute(route.name);
 * const candidateRequest = await translateRequest(t, exchange.request, params);
 */
export type { RouteRequestTranslation, TranslatableRequest, TranslatableResponse, TranslationContext, Translator } from './types';
export { defineTranslator } from './define-translator';
export { identityTranslator } from './identity';
export { createTranslatorRegistry } from './registry';
export type { TranslatorRegistry, RouteTranslatorRef } from './registry';
export { loadTranslatorModules, loadEachTranslatorModule } from './load-modules';
export { translateRequest, toTranslatableRequest } from './translate-request';
export { translateResponse, translateResponseBytes, toTranslatableResponse } from './translate-response';
export { serializeResponseBody, parseTranslatableBody, parseBodyForTranslation, bodyKind } from './body-codec';
export { TranslatorError, TranslationFailure, TRANSLATOR_ERRORS } from './errors';
