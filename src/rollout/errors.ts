import type { Readiness } from './types';

/**
 * Why a rollout change was refused: `invalid` input, an `unknown_route`, a `not_found`
 * group, or `not_ready` (the readiness guard, with its figures in `readiness`).
 *
 * @example
 * try { await service.setRoute('product', { phase: 'candidate' }, 'api') }
 * catch (e) { if (e instanceof RolloutError && e.code === 'not_ready') console.error(e.message) }
 */
export class RolloutError extends Error {
  constructor(
    readonly code: 'invalid' | 'unknown_route' | 'not_found' | 'not_ready',
    message: string,
    readonly readiness?: Readiness,
  ) {
    super(message);
    this.name = 'RolloutError';
  }

  /** The HTTP status the API answers with. */
  get status(): number {
    return { invalid: 400, unknown_route: 404, not_found: 404, not_ready: 409 }[this.code];
  }
}
