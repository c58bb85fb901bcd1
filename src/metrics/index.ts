export { TandemMetrics } from './tandem-metrics';
export type { ServingBackend } from './tandem-metrics';
export { readQueueLag, describeLag, UP_TO_DATE } from './queue-lag';
export type { QueueLag } from './queue-lag';
export { resultHook } from './result-hook';
export type { ResultHook } from './result-hook';
export { routeCountersReader } from './route-counters';
