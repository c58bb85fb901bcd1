/**
 * Rollout: per-customer, per-route choice of the backend that serves (the four-step
 * migration), kept in Redis and applied by every instance within a second.
 *
 * @example
 * const rollout = createRollout(config, { log });
 * await rollout.start(redis);
 * rollout.decide('product', 'acme'); // { phase: 'candidate', source: 'customer', sampleRate: 1 }
 */
export type { Phase, RouteRollout, RolloutState, AuditEntry, Readiness } from './types';
export { bucketOf, inRollout } from './hash-bucket';
export { decidePhase, groupsByCustomer } from './decide-phase';
export { createCustomerIdentifier } from './identify-customer';
export { RolloutStore } from './rollout-store';
export { RolloutService } from './rollout-service';
export { RolloutWatcher } from './rollout-watcher';
export { RolloutError } from './errors';
export { overridesWarning, NO_CUSTOMER_IDENTIFICATION } from './override-warning';
export { createRollout } from './create-rollout';
export { routeDefaults } from './route-defaults';
export type { Rollout } from './create-rollout';
export { candidateResponse } from './candidate-response';
export type { ServableResponse } from './candidate-response';
export { describedReadiness, meetsThreshold, readinessFigures, readinessShortfalls } from './readiness';
