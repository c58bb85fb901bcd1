/**
 * Replay: send recorded traffic again. A file (HAR or NDJSON) through a private runtime
 * exactly like live traffic (`tandem replay`), or one stored exchange against the
 * candidate now, from the report, without storing the result.
 */
export { runReplay } from './run-replay';
export { openReplayFile } from './open-replay-file';
export type { ReplayFormat, ReplaySource } from './open-replay-file';
export { parseHar } from './read-har';
export { parseNdjsonLine } from './read-ndjson';
export { formatSummary, redisLostLine, replayGateFailures } from './replay-summary';
export { replayProgressBar } from './progress-bar';
export { Pacer } from './pacer';
export { loadExchange, replayStored } from './replay-stored';
