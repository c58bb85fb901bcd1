export { createRuntime } from './create-runtime';
export type { Runtime } from './create-runtime';
export { resolveRedis } from './resolve-redis';
export { loadTranslators } from './load-translators';
