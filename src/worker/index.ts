export { compareLimits, processExchange } from './process-exchange';
export type { ProcessDeps, ProcessedExchange } from './process-exchange';
export { startComparisonWorker, workerCloseMs } from './start-worker';
export type { ComparisonWorker } from './start-worker';
export { rediffRoute } from './rediff';
export type { RediffResult, RediffProgress } from './rediff';
export { inlineComparer } from './comparer';
export type { Comparer } from './comparer';
