import { compilePathPattern } from '../compare';
import { TandemError } from '../errors';

/**
 * A rule path a user gave was malformed; the message says where.
 *
 * @example
 * try { checkRulePath('items[') } catch (e) { (e as RulePathError).message; // 'invalid path "items[" at character 6: ...' }
 */
export class RulePathError extends TandemError {
  constructor(message: string) {
    super('ERR_TANDEM_RULE_PATH_INVALID', message, { status: 400 });
    this.name = 'RulePathError';
  }
}

/**
 * Check a rule path or pattern (`meta.**`, `items[*].price`, `$headers.etag`, `$body`)
 * and return it; throws a RulePathError naming the problem.
 *
 * @example
 * checkRulePath('items[*].price'); // 'items[*].price'
 * checkRulePath(''); // throws RulePathError
 */
export function checkRulePath(path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '')
    throw new RulePathError('path must be a non-empty string, e.g. "meta.**" or "items[*].price"');
  if (path.length > 512) throw new RulePathError('path is longer than 512 characters');
  if (path === '$body') return path;
  try {
    compilePathPattern(path);
  } catch (e) {
    throw new RulePathError((e as Error).message);
  }
  return path;
}
