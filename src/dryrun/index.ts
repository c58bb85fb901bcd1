/** `tandem dry-run`: both live backends, the route's translators and the worker's comparison, without Redis. */
export { DryRunner, DRY_RUN_MARK } from './dry-runner';
export type { DryRunOutcome } from './dry-runner';
export { runDryRun } from './run-dry-run';
export { summariseDryRun, routesBelow } from './dry-run-summary';
export type { DryRunSummary, DryRunRoute } from './dry-run-summary';
export { formatDryRun } from './format-dry-run';
