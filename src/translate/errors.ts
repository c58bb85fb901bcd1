import { TandemError } from '../errors';
import type { TranslationError } from '../records';

/**
 * Stable codes, so scripts and tests can tell failures apart.
 *
 * @example
 * if (e.code === TRANSLATOR_ERRORS.UNKNOWN) console.error('fix the route\'s translator name');
 */
export const TRANSLATOR_ERRORS = {
  /** A route names a translator that is not registered. */
  UNKNOWN: 'ERR_TANDEM_TRANSLATOR_UNKNOWN',
  /** Two translators share a name, or claim the same route. */
  CONFLICT: 'ERR_TANDEM_TRANSLATOR_CONFLICT',
  /** Something is not a usable translator (bad shape, nothing exported). */
  INVALID: 'ERR_TANDEM_TRANSLATOR_INVALID',
  /** A translator module could not be read, compiled or required. */
  LOAD: 'ERR_TANDEM_TRANSLATOR_LOAD',
  /** A translation failed at run time (see `TranslationFailure`). */
  FAILED: 'ERR_TANDEM_TRANSLATION_FAILED',
} as const;

/**
 * Translators that cannot be set up: thrown at start, never per request.
 *
 * @example
 * try { createTranslatorRegistry([], [{ name: 'orders', translator: 'nope' }]) }
 * catch (e) { if (e instanceof TranslatorError) console.error(e.code, e.message) }
 */
export class TranslatorError extends TandemError {
  declare readonly code: (typeof TRANSLATOR_ERRORS)[Exclude<keyof typeof TRANSLATOR_ERRORS, 'FAILED'>];
  /** Every problem this error stands for: itself, or each one of `TranslatorError.of(several)`. */
  readonly all: readonly TranslatorError[];
  constructor(
    code: (typeof TRANSLATOR_ERRORS)[Exclude<keyof typeof TRANSLATOR_ERRORS, 'FAILED'>],
    message: string,
    options?: { cause?: unknown; all?: readonly TranslatorError[] },
  ) {
    super(code, message, { status: 500, cause: options?.cause });
    this.name = 'TranslatorError';
    this.all = options?.all ?? [this];
  }

  /**
   * One error for several problems found in one pass (so none hides another): the problem
   * itself when there is one, else an error with the first one's code, every message
   * (one per line) and `all` listing each.
   *
   * @example
   * throw TranslatorError.of(errors); // errors.length >= 1
   * for (const p of e.all) console.error(p.code, p.message);
   */
  static of(errors: readonly TranslatorError[]): TranslatorError {
    const all = errors.flatMap((e) => e.all);
    if (all.length === 1) return all[0];
    return new TranslatorError(all[0].code, `${all.length} translator problems:\n${all.map((e) => `  - ${e.message}`).join('\n')}`, {
      cause: all[0],
      all,
    });
  }
}

/**
 * How a translation failed.
 *
 * @example
 * if (failure.kind === 'timeout') metrics.inc('translator_timeouts');
 */
export type TranslationFailureKind = 'timeout' | 'threw' | 'invalid_output' | 'untranslatable_input';

/**
 * One translation that failed at run time: the translator threw, ran over its
 * budget, returned something unusable, or was given a body it cannot see.
 * The exchange is then recorded as a `translation_error` (see `toRecord`).
 *
 * @example
 * try { await translateRequest(t, req, params) }
 * catch (e) { if (e instanceof TranslationFailure) exchange.translationError = e.toRecord() }
 */
export class TranslationFailure extends TandemError {
  declare readonly code: typeof TRANSLATOR_ERRORS.FAILED;
  constructor(
    readonly stage: 'request' | 'response',
    readonly translator: string,
    readonly kind: TranslationFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    // 502: the candidate's side of the exchange could not be translated (never shown to a client).
    super(TRANSLATOR_ERRORS.FAILED, message, { status: 502, cause: options?.cause });
    this.name = 'TranslationFailure';
  }

  /**
   * The plain record stored on an exchange.
   *
   * @example
   * failure.toRecord(); // { stage: 'request', message: 'translator "x" timed out after 50 ms' }
   */
  toRecord(): TranslationError {
    return { stage: this.stage, message: this.message };
  }
}
