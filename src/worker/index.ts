export { processExchange } from './process-exchange';
export type { ProcessDeps, ProcessedExchange } from './process-exchange';
export { startComparisonWorker } from './start-worker';
export type { ComparisonWorker } from './start-worker';
export { rediffRoute, RediffBusyError } from './rediff';
export type { RediffDeps, RediffResult } from './rediff';
export { waitsForNoiseModel } from './noise-warmup';
export { inlineComparer } from './comparer';
export type { Comparer } from './comparer';
