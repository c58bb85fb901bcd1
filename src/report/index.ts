export { routeSummaries, mismatchPage, summarise } from './queries';
export type { RouteSummary, MismatchSummary } from './queries';
