/**
 * Tandem's public API. Everything else is internal and may change.
 *
 * @example
 * import express from 'express';
 * import { tandem } from 'tandem';
 * const app = express();
 * app.use(tandem({ legacy: { url: 'http://legacy:8080' }, candidate: { url: 'http://candidate:8080' },
 *   routes: [{ name: 'product', match: 'GET /products/:id' }] }));
 */
export { tandem, startServer, listenAside } from './ingress';
export type { TandemMiddleware, TandemServer, SideListeners } from './ingress';
export { createConfig, loadConfigFile, ConfigError, ERRORS } from './config';
export type { TandemOptions, TandemConfig, RouteOptions, CompareRules } from './config';
export { defineTranslator } from './translate';
export type { Translator, TranslatableRequest, TranslatableResponse, TranslationContext } from './translate';
export { startComparisonWorker, processExchange } from './worker';
export type { ExchangeRecord, ComparisonResult, ResultClass, Difference, Risk } from './records';
export {
  pipe,
  mapRequestQuery,
  rewriteRawQuery,
  mapBody,
  onSuccess,
  eachRecord,
  isRecord,
  splitField,
  joinFields,
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
  paging,
  convertPaging,
  readPosition,
  writePosition,
  mapKeys,
  atPath,
  moveValue,
  toStringValue,
  toNumberValue,
  toBooleanValue,
  stringly,
  unwrapEnvelope,
  wrapEnvelope,
  linkHeader,
  requestOrigin,
  mapErrors,
  statusText,
  renameErrorField,
  mapPath,
  getPath,
  setPath,
  deletePath,
} from './kit';
export type {
  RequestStep,
  ResponseStep,
  QueryStep,
  BodyStep,
  SortParams,
  PagingScheme,
  Position,
  KeyMapSpec,
  EnvelopeShape,
  ErrorBody,
} from './kit';
export { classifyDifference, classifyDifferences, groupByCause } from './compare';
export type { DifferenceCause, CauseTransform, CauseGroup } from './compare';
