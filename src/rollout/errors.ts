import { TandemError } from '../errors';
import type { Readiness } from './types';

const STATUS = { invalid: 400, unknown_route: 404, not_found: 404, not_ready: 409 } as const;

/**
 * Why a rollout change was refused: `invalid` input, an `unknown_route`, a `not_found`
 * group, or `not_ready` (the readiness guard, with its figures in `readiness`).
 *
 * @example
 * try { await service.setRoute('product', { phase: 'candidate' }, 'api') }
 * catch (e) { if (e instanceof RolloutError && e.code === 'not_ready') console.error(e.message) }
 */
export class RolloutError extends TandemError {
  declare readonly code: keyof typeof STATUS;
  constructor(
    code: keyof typeof STATUS,
    message: string,
    readonly readiness?: Readiness,
  ) {
    // The API answers `{ error: code, message, ...figures }` (a readiness refusal adds its figures).
    super(code, message, { status: STATUS[code], apiError: code, details: readiness ? figures(readiness) : undefined });
    this.name = 'RolloutError';
  }
}

function figures(r: Readiness): Record<string, unknown> {
  return {
    compared: r.compared,
    matches: r.matches,
    matchRate: r.matchRate,
    threshold: r.threshold,
    window: r.window,
    minCompared: r.minCompared,
  };
}
