/**
 * Reading results back for the web report and its JSON API: overview rows with trends,
 * filtered pages over the report indexes, field trees, customers and exports.
 *
 * @example
 * const page = await listResults(store, 'product', parseResultFilter({ since: '1h' }, Date.now()));
 */
export { routeSummaries, matchFigures, formatRate } from './queries';
export { routePage, routeRow } from './route-overview';
export type { RouteRow, RouteSort } from './route-overview';
export { compareHints } from './compare-hints';
export { rootCauses } from './root-causes';
export { fieldExamples } from './field-examples';
export { withExposure } from './route-exposure';
export { readTrends, MAX_TREND_MINUTES } from './trend';
export { parseResultFilter, RISKS } from './filters';
export { readQuery, intParam, enumParam, textParam } from './query-schema';
export type { ResultFilter } from './filters';
export { listResults, eachResult } from './result-list';
export { customerRows } from './customers';
export { fieldTree } from './field-tree';
export { exportChunks, EXPORT_FORMATS } from './export-results';
