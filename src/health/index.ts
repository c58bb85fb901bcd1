export { checkRedis, checkReachable, checkWorker } from './checks';
export type { CheckResult } from './checks';
export { runChecks } from './readiness';
export type { Check, Readiness } from './readiness';
export { opsHandler } from './ops-handler';
export type { OpsEndpoints } from './ops-handler';
export { tandemReadiness } from './tandem-readiness';
export type { ReadinessSources } from './tandem-readiness';
