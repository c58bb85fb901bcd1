export { createRuntime } from './create-runtime';
export { runtimeCloseMs } from './close-deadlines';
export type { Runtime } from './runtime';
export { createTranslatorsFor } from './translators-for';
export {
  createRedactorFor,
  createStoreFor,
  createRulesFor,
  createWorkerFor,
  createComparerFor,
  createUpstreamFor,
  createShadowFor,
} from './factories';
export { joinRedis, noRedisMessage, resolveRedis } from './resolve-redis';
