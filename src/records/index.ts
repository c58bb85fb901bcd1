export * from './types';
export { bodyRecord, bytesBody, bodyBytes, encodeBody, decodeBody, bodyHash, headerValue } from './body';
export { MAX_JSON_DEPTH, jsonTooDeep, tooDeepReason, TooDeepError, dropReason } from './limits';
export { newExchangeId } from './exchange-id';
export { parseQuery, serialiseQuery, splitTarget, editRawQuery } from './query';
export { mediaType, isJsonMediaType } from './media-type';
export { bodyClass, type BodyClass } from './body-class';
export { headerNamesOf, orderedHeaders } from './header-names';
export { parseJsonExact, stringifyExact, isJsonNumber, isLosslessNumber, LosslessNumber, numberText, numberKey, sameNumber, withinTolerance, plainJson } from './exact-json';
