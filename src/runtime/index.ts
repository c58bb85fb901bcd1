export { createRuntime } from './create-runtime';
export type { Runtime } from './create-runtime';
export { resolveRedis } from './resolve-redis';
export {
  createTranslatorsFor, createRedactorFor, createStoreFor, createRulesFor, createQueueFor, createProducerFor, createWorkerFor, createComparerFor, createUpstreamFor, createShadowFor,
} from './factories';
export type { Backend } from './factories';
export { compareThreads } from './compare-threads';
