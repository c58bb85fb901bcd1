export { createRuntime } from './create-runtime';
export type { Runtime } from './create-runtime';
export {
  createTranslatorsFor,
  createRedactorFor,
  createStoreFor,
  createRulesFor,
  createWorkerFor,
  createComparerFor,
  createUpstreamFor,
  createShadowFor,
} from './factories';
export { joinRedis, noRedisMessage, resolveRedis } from './resolve-redis';
