/** The pure comparison engine: normalise recorded responses, then compare them. */
export type { NormalisedBody, NormalisedBodyKind, NormalisedResponse, RawBody } from './types';

export { normaliseResponse } from './normalise-response';
export type { NormaliseOptions } from './normalise-response';
export { fromTranslated } from './from-translated';
export type { TranslatedResponse } from './from-translated';
export { decompressBody } from './decompress-body';
export type { DecompressResult } from './decompress-body';
export { parseBody, parseForm } from './parse-body';
export { mediaType } from './media-type';

export { compareResponses } from './compare-responses';
export type { CompareOptions } from './compare-responses';
export { compileRules, DEFAULT_COMPARED_HEADERS } from './compile-rules';
export type { CompiledRules } from './compile-rules';
export { DEFAULT_IGNORED_HEADERS, comparedHeaderNames } from './diff-headers';
export { diffText } from './diff-text';
export type { TextDiff, TextDiffSide } from './diff-text';
export { deepEqual } from './deep-equal';
export { looksVolatile } from './looks-volatile';
export { legacyNoisePaths } from './legacy-noise';
export { compileNoisePatterns, subtractKnownNoise } from './known-noise';

export { matchesPathPattern, compilePathPattern, anyPattern } from './path-pattern';
export type { PathMatcher } from './path-pattern';
export { formatPath, ROOT_PATH } from './path';
export { generalisePath, parsePath, parsePathLenient, pathPrefixes, tokenisePath } from './path-parse';
export type { PathToken } from './path-parse';
export type { PathSegment, KeyedSegment } from './path';

export { classifyDifference, classifyDifferences } from './classify-difference';
export type { DifferenceCause, CauseTransform } from './classify-difference';
export { groupByCause } from './group-causes';
export type { CauseGroup } from './group-causes';
export { canonicalKey } from './canonical-key';
