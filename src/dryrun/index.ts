/** `tandem dry-run`: both live backends, the route's translators and the worker's comparison, without Redis. */
export { runDryRun } from './run-dry-run';
export { dryRunGateFailures, routesBelow } from './dry-run-summary';
export type { DryRunSummary } from './dry-run-summary';
export { formatDryRun } from './format-dry-run';
