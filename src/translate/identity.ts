import type { Translator } from './types';

/**
 * The translator of routes that name none and that no translator claims: it has
 * no functions, so requests and responses pass through without being parsed.
 * Its name is reserved; a route may name it (`translator: identity`) to opt out
 * of a claim.
 *
 * @example
 * registry.forRoute('health') === identityTranslator; // when nothing claims "health"
 */
export const identityTranslator: Translator = Object.freeze({ name: 'identity' });
