export { compareLimits, processExchange } from './process-exchange';
export type { ProcessDeps, ProcessedExchange } from './process-exchange';
export { startComparisonWorker } from './start-worker';
export type { ComparisonWorker } from './start-worker';
export { workerCloseMs } from './close-deadlines';
export { rediffRoute } from './rediff';
export type { RediffResult, RediffProgress } from './rediff';
export { inlineComparer } from './comparer';
export type { Comparer } from './comparer';
