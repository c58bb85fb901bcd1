/**
 * The translator kit: typed, composable helpers for the shapes every API migration has.
 * Query mapping, pagination schemes, deep key mapping, envelopes with total-count and
 * Link headers, error bodies, path templates. See README "Writing translators".
 */
export { pipe, mapRequestQuery, mapBody, onSuccess, eachRecord, isRecord } from './compose';
export { rewriteRawQuery } from '../records';
export { splitField, joinFields } from './fields';
export type { RequestStep, ResponseStep, QueryStep, BodyStep } from './compose';
export {
  renameParams,
  dropParams,
  defaultParams,
  encodeParam,
  joinParam,
  splitParam,
  combineSort,
  splitSort,
  mapQuery,
  values,
} from './query';
export type { SortParams } from './query';
export { paging, convertPaging, readPosition, writePosition } from './paging';
export type { PagingScheme, Position } from './paging';
export { mapKeys, atPath, moveValue } from './keys';
export type { KeyMapSpec } from './keys';
export { toStringValue, toNumberValue, toBooleanValue, stringly } from './coerce';
export { unwrapEnvelope, wrapEnvelope } from './envelope';
export type { EnvelopeShape } from './envelope';
export { linkHeader, requestOrigin } from './link-header';
export { mapErrors, statusText, renameErrorField } from './errors';
export type { ErrorBody } from './errors';
export { mapPath } from './path-map';
export { getPath, setPath, deletePath } from './object-path';
