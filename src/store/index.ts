export { keySchema, keySchema as storeKeys, keySegment, queueJobBodiesKey, KEY_SPECS, derivedRouteKeys, hashTagOf } from './key-schema';
export type { KeySchema, KeySchema as StoreKeys, KeyName, KeyDeployment } from './key-schema';
export { openRedis, redisTargetOf, describeRedisTarget, dataNodes, scanKeys } from './redis-connection';
export { pipelineByTag, PartialPipelineError } from './pipeline-by-tag';
export { isTransientRedisError } from './transient-errors';
export type { RedisClient, RedisTarget } from './redis-connection';
export { watchRedis } from './redis-watch';
export { keySlot } from './key-slot';
export {
  openOneShotRedis,
  closeOneShotRedis,
  oneShotLost,
  RedisStoppedAnswering,
  ONE_SHOT_COMMAND_MS,
  ONE_SHOT_CHECK_MS,
} from './one-shot-redis';
export type { RedisLost, RedisWatch } from './redis-watch';
export { redactRedisUrl, HIDDEN_REDIS_URL } from './redis-url-redaction';
export { checkRedisVersion } from './redis-version';
export { startEmbeddedRedis, runningEmbeddedRedis, REDIS_MISSING_MESSAGE } from './embedded-redis';
export { dataDirTaken } from './data-dir-lock';
export type { EmbeddedRedis } from './embedded-redis';
export { ResultsStore } from './results-store';
export { RecordFailed } from './pack-recorder';
export { OVERFLOW_CUSTOMER } from './record-types';
export type { MismatchRecord, CauseRecord, RecordExtra, RecordItem, RecordOutcome } from './record-types';
export type { ResultsReader } from './results-reader';
export { CounterBuffer, UnwrittenCounts } from './counter-buffer';
export { countCustomers } from './customer-counters';
export type { RevokedSessions } from './revoked-sessions';
export { signInFailures } from './sign-in-failures';
export type { SignInFailures } from './sign-in-failures';
export { clearDerived } from './clear-derived';
export { contentHash } from './content-hash';
export { matchFigures, matchRate, tallyClasses, formatRate, shareOfCompared, ERROR_CLASSES } from './match-rate';
export type { MatchFigures } from './match-rate';
