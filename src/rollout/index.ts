/**
 * Rollout: per-customer, per-route choice of the backend that serves (the four-step
 * migration), kept in Redis and applied by every instance within a second.
 *
 * @example
 * const rollout = createRollout(config, { log });
 * await rollout.start(redis);
 * rollout.decide('product', 'acme'); // { phase: 'candidate', source: 'customer', sampleRate: 1 }
 */
export type { Phase, RouteRollout, RolloutState, PhaseDecision, DecisionSource, AuditEntry, Readiness } from './types';
export { PHASES, servesCandidate } from './types';
export { bucketOf, inRollout } from './hash-bucket';
export { decidePhase, groupsByCustomer, ANONYMOUS } from './decide-phase';
export { createCustomerIdentifier, validCustomerId, MAX_CUSTOMER_LENGTH } from './identify-customer';
export type { CustomerSpec, CustomerIdentity } from './identify-customer';
export { RolloutStore } from './rollout-store';
export type { RolloutChange } from './rollout-store';
export { RolloutService } from './rollout-service';
export type { RouteUpdate } from './rollout-service';
export { RolloutWatcher, defaultState } from './rollout-watcher';
export { readinessOf, refusalMessage } from './readiness';
export type { ReadinessSettings } from './readiness';
export { RolloutError } from './errors';
export type { RouteDefaults } from './state-codec';
export { createRollout } from './create-rollout';
export type { Rollout } from './create-rollout';
export { candidateResponse } from './candidate-response';
export type { ServableResponse } from './candidate-response';
