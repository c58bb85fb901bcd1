export * from './types';
export { bodyRecord, bytesBody, bytesBodyAs, bodyBytes, encodeBody, decodeBody, headerValue, sameBytesBody } from './body';
export { MAX_JSON_DEPTH, jsonTooDeep, tooDeepReason, dropReason } from './limits';
export { scanJson } from './json-scan';
export { newExchangeId, routeMark, markOfId } from './exchange-id';
export { randomId } from './random-id';
export { parseQuery, serialiseQuery, splitTarget, editRawQuery, rewriteRawQuery } from './query';
export { mediaType, isJsonMediaType } from './media-type';
export { bodyClass, type BodyClass } from './body-class';
export { headerNamesOf, lowerName, orderedHeaders } from './header-names';
export { headerMapOf, requestHeaderLines } from './header-lines';
export {
  parseJsonExact,
  parseScannedJson,
  stringifyExact,
  isJsonNumber,
  isLosslessNumber,
  LosslessNumber,
  numberKey,
  sameNumber,
  withinTolerance,
  plainJson,
} from './exact-json';
export { errorReasonOf, capturedTooLargeReason } from './error-reason';
export { codedTransfer, transferCodings } from './transfer-codings';
export { connectionOptions } from './connection-options';
