/**
 * Operations: liveness, readiness and Prometheus metrics endpoints, for `tandem serve`
 * (on the proxy's listener) and for a standalone `tandem worker` (on its own port).
 */
export { tandemReadiness } from './tandem-readiness';
export type { HealthReadiness } from './readiness';
export { createOpsRouter } from './ops-router';
export { createWorkerOps } from './worker-ops';
