import { budgetFor, runWithBudget } from './budget';
import { TranslationFailure } from './errors';
import type { TranslateOptions, Translator } from './types';

/**
 * Call one translator function within its budget and check its output; every way
 * it can go wrong becomes a `TranslationFailure` for `stage`:
 * `translator "x" timed out after 50 ms`, `translator "x" threw: …`,
 * `translator "x" returned an invalid response: …`.
 *
 * @example
 * const out = await invokeTranslator('response', t, () => t.response!(res, ctx), checkResponseOutput);
 */
export async function invokeTranslator<T>(
  stage: 'request' | 'response',
  t: Translator,
  call: () => unknown,
  check: (out: unknown) => T,
  opts: TranslateOptions = {},
): Promise<T> {
  const budget = budgetFor(t, opts);
  let out: unknown;
  try {
    out = await runWithBudget(
      call,
      budget,
      (elapsed, blocked) =>
        new TranslationFailure(
          stage,
          t.name,
          'timeout',
          `translator "${t.name}" timed out after ${budget} ms${blocked ? ` (it blocked for ${elapsed} ms)` : ''}`,
        ),
    );
  } catch (e) {
    if (e instanceof TranslationFailure) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new TranslationFailure(stage, t.name, 'threw', `translator "${t.name}" threw: ${reason}`, { cause: e });
  }
  return checked(stage, t, () => check(out));
}

/**
 * Run a check of translator output, turning its TypeError into an `invalid_output`
 * `TranslationFailure`.
 *
 * @example
 * checked('request', t, () => encodeBodyValue(out.body, out.headers));
 */
export function checked<T>(stage: 'request' | 'response', t: Translator, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new TranslationFailure(
      stage,
      t.name,
      'invalid_output',
      `translator "${t.name}" returned an invalid ${stage}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
