// json-server 0.17 (legacy contract) against json-server 1.x (candidate), written with Tandem's kit.
// Run `npm run build` at the repository root first: the kit is imported from its build.
import {
  combineSort,
  defineTranslator,
  mapBody,
  mapErrors,
  mapKeys,
  mapRequestQuery,
  onSuccess,
  pipe,
  renameParams,
  requestOrigin,
  toNumberValue,
  unwrapEnvelope,
} from '../../dist/src/index.js';

export default defineTranslator({
  name: 'json-server-v1',
  // 0.17: ?_sort=views&_order=desc&_page=2&_limit=10   1.x: ?_sort=-views&_page=2&_per_page=10
  request: mapRequestQuery(combineSort({ field: '_sort', order: '_order', into: '_sort' }), renameParams({ _limit: '_per_page' })),
  response: pipe(
    onSuccess(
      // 1.x pages as { first, prev, next, last, pages, items: <total>, data: [...] }; 0.17 as a bare list with X-Total-Count and Link.
      unwrapEnvelope({
        items: 'data',
        total: 'items',
        link: { paging: { style: 'page', page: '_page', size: '_limit' }, origin: requestOrigin },
      }),
      // 1.x ids are strings ("1"), 0.17's numbers.
      mapBody(mapKeys({ coerce: { '**.id': toNumberValue } })),
    ),
    // 0.17 answers a missing item with {}, 1.x with text "Not Found".
    mapErrors({ 404: {} }),
  ),
});
