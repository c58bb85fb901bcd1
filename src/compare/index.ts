/** The pure comparison engine: normalise recorded responses, then compare them. */
export type { NormalisedResponse } from './types';

export { normaliseResponse, normalisePair } from './normalise-response';
export { fromTranslated } from './from-translated';
export { decompressBody } from './decompress-body';
export { parseComparedBody } from './parse-body';
export { mediaType } from './media-type';
export { declaredCharset, decodeText, encodeText } from './text-encoding';
export { headerParams } from './header-params';

export { compareResponses } from './compare-responses';
export { compileRules } from './compile-rules';
export { DEFAULT_IGNORED_HEADERS, comparedHeaderNames } from './diff-headers';
export { diffText } from './diff-text';
export { deepEqual } from './deep-equal';
export { looksVolatile } from './looks-volatile';
export { legacyNoisePaths } from './legacy-noise';

export { matchesPathPattern, compilePathPattern, anyPattern } from './path-pattern';
export { formatPath } from './path';
export { generalisePath, memoisedByPath, parsePath, parsePathLenient, pathPrefixes, tokenisePath } from './path-parse';
export type { PathSegment } from './path';

export { classifyDifference, classifyDifferences } from './classify-difference';
export type { DifferenceCause, CauseTransform } from './classify-difference';
export { groupByCause } from './group-causes';
export type { CauseGroup } from './group-causes';
export { canonicalKey } from './canonical-key';
