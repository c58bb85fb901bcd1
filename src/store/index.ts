export { storeKeys } from './keys';
export type { StoreKeys } from './keys';
export { openRedis } from './redis-connection';
export { startEmbeddedRedis, REDIS_MISSING_MESSAGE } from './embedded-redis';
export type { EmbeddedRedis } from './embedded-redis';
export { ResultsStore } from './results-store';
export type { MismatchRecord, Retention } from './results-store';
export { CounterBuffer } from './counter-buffer';
