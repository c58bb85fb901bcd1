export { createRuntime, runtimeCloseMs } from './create-runtime';
export type { Runtime } from './create-runtime';
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
