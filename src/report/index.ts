/**
 * Reading results back for the web report and its JSON API: overview rows with trends,
 * filtered pages over the report indexes, field trees, customers and exports.
 *
 * @example
 * const page = await listResults(store, 'product', parseResultFilter({ since: '1h' }, Date.now()));
 */
export { routeSummaries, mismatchPage, summarise, summariseExchange, matchRate, matchFigures, worstFirst, ERROR_CLASSES } from './queries';
export type { RouteSummary, MismatchSummary } from './queries';
export { routePage, routeRow } from './route-overview';
export type { RouteRow, RouteQuery, RouteSort } from './route-overview';
export { compareHints } from './compare-hints';
export type { CompareHints } from './compare-hints';
export { rootCauses } from './root-causes';
export type { RootCause } from './root-causes';
export { fieldExamples } from './field-examples';
export type { FieldExample } from './field-examples';
export { requestLine } from './request-line';
export { withExposure } from './route-exposure';
export type { Exposure, ExposedRouteRow } from './route-exposure';
export { readTrends, MAX_TREND_MINUTES } from './trend';
export type { Trend } from './trend';
export { parseResultFilter, FilterError } from './filters';
export type { ResultFilter } from './filters';
export { listResults, eachResult } from './result-list';
export type { ResultPage, StoredResult } from './result-list';
export { customerRows } from './customers';
export type { CustomerRow, CustomerQuery } from './customers';
export { fieldTree } from './field-tree';
export type { FieldNode } from './field-tree';
export { exportChunks, csvCell } from './export-results';
export type { ExportFormat } from './export-results';
export { noiseReport } from './noise-report';
export type { NoiseReport, NoiseSuggestion, SuspectedField } from './noise-report';
