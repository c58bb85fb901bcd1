import type { Translator } from './types';

/**
 * Identity helper that gives a translator its types.
 *
 * @example
 * export default defineTranslator({
 *   name: 'products-v2',
 *   request: (req) => ({ ...req, path: req.path.replace('/api/v1/', '/v2/') }),
 * });
 */
export function defineTranslator<T extends Translator>(translator: T): T {
  return translator;
}
