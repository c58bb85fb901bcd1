/**
 * Plain records that flow between the parts of Tandem. Only the ingress knows
 * express; everything after it (translate, compare, store, rollout) works on these.
 */

/** Header map as Node gives it: lower-case names, repeated headers joined (set-cookie as an array). */
export type Headers = Record<string, string | string[] | undefined>;

/** Query map (a parsed view, see `parseQuery`): repeated parameters as arrays. */
export type Query = Record<string, string | string[]>;

/**
 * A bounded copy of a body. `data` holds at most the configured cap; when the real
 * body was larger, `truncated` is true and only `size` and `sha256` describe it.
 */
export interface BodyRecord {
  /** How `data` is encoded: utf8 for text that round-trips, base64 for anything else. */
  encoding: 'utf8' | 'base64';
  data: string;
  /** Size of the whole body in bytes, as it crossed the wire. */
  size: number;
  /** True when the body was larger than the cap: `data` is then empty. */
  truncated: boolean;
  /** Hex SHA-256 of the whole body, set when truncated (the request path does not hash bodies it keeps whole). */
  sha256?: string;
  /**
   * Set when the body may hold a secret but could not be parsed to redact it: `data` is
   * then empty and the body is described by `size` and this keyed fingerprint only.
   */
  withheld?: string;
  /** Why a withheld body could not be read (its comparison class stays what it would have been). */
  unreadable?: { kind: 'too_large' | 'unparseable'; reason: string };
}

/** A request as seen by a backend. */
export interface RequestRecord {
  method: string;
  /** Path without the query string, e.g. `/products/42`. */
  path: string;
  /** Parsed, multi-value view of the query (null prototype); what is sent is `rawQuery`. */
  query: Query;
  /**
   * The query exactly as the client sent it, with its `?` (`''` when there was none).
   * This is what is relayed; `query` is only serialised again when a translator
   * changed it. Absent on records stored by older versions (then `query` is serialised).
   */
  rawQuery?: string;
  /** Lower-case header map (values); `headerNames` keeps the names' casing and order. */
  headers: Headers;
  /** Header names as sent, in order, first-occurrence casing (see `headerNamesOf`). */
  headerNames?: string[];
  /**
   * The header lines as the client sent them, `[name, value, name, value, ...]` (Node's
   * `rawHeaders`): repeated lines (two `Cookie`, two `X-Forwarded-For`) apart, in order.
   * What is relayed for every name whose value in `headers` is unchanged (see
   * `requestHeaderLines`); absent on records stored by older versions.
   */
  headerLines?: string[];
  body: BodyRecord | null;
  /**
   * The trailer lines after a chunked body, `[name, value, ...]` as the client sent them
   * (Node's `rawTrailers`: casing, order, repeats). Present only when there were some; the
   * body is then relayed chunked, its `Transfer-Encoding` and `Trailer` lines as sent, these
   * after the last chunk. A request translator that changes the body drops them (a checksum
   * or signature over the client's bytes would be false for its bytes).
   */
  trailerLines?: string[];
}

/** A response as received from a backend. */
export interface ResponseRecord {
  status: number;
  headers: Headers;
  /** Header names as the backend sent them, in order (see `headerNamesOf`). */
  headerNames?: string[];
  body: BodyRecord | null;
  /** Time from sending the request to the end of the response body. */
  durationMs: number;
}

/** Why the candidate gave no usable response. */
export type CandidateErrorKind = 'connect' | 'timeout' | 'reset' | 'too_large' | 'protocol';

export interface CandidateError {
  kind: CandidateErrorKind;
  message: string;
}

export interface TranslationError {
  stage: 'request' | 'response';
  message: string;
}

/**
 * One shadowed exchange: what the client sent, what legacy answered, what went to
 * the candidate and what it answered. This is the raw truth that results derive from.
 */
export interface ExchangeRecord {
  id: string;
  /** Route name from the config. */
  route: string;
  /** Customer id, or `anonymous`. */
  customer: string;
  /** Epoch milliseconds when the client request arrived. */
  at: number;
  /** Request id shared with both backends (x-request-id). */
  requestId: string;
  request: RequestRecord;
  /** Path parameters of the matched route. */
  params: Record<string, string>;
  legacy: ResponseRecord;
  /** The request after translation, as sent to the candidate. */
  candidateRequest?: RequestRecord;
  /** The candidate's raw response (before response translation). */
  candidate?: ResponseRecord;
  candidateError?: CandidateError;
  translationError?: TranslationError;
  /** A second legacy response to the same request, for noise cancellation. */
  legacyRepeat?: ResponseRecord;
  /** `replay` for exchanges sent by `tandem replay`; absent for live traffic. */
  source?: 'replay';
  /**
   * Who answered the client: `candidate` (its translated response was served),
   * `legacy-fallback` (the candidate failed and legacy answered). Absent: legacy served
   * (shadowed traffic), or nobody (replays).
   */
  servedBy?: 'candidate' | 'legacy-fallback';
  /**
   * Bodies left out of the stored record because it was over `retention.maxRecordBytes`
   * (`legacy.body`, `candidate.body`, `translatedCandidate.body`, ...): each is kept as
   * its size and SHA-256 (`truncated`), so a rediff classifies it `too_large`.
   */
  storedWithout?: string[];
}

/** Every comparison ends in exactly one of these. */
export type ResultClass = 'match' | 'mismatch' | 'noise_only' | 'candidate_error' | 'translation_error' | 'unparseable' | 'too_large';

export const RESULT_CLASSES: readonly ResultClass[] = [
  'match',
  'mismatch',
  'noise_only',
  'candidate_error',
  'translation_error',
  'unparseable',
  'too_large',
];

export type Risk = 'high' | 'medium' | 'low';

/** One field-level difference, legacy on the left, candidate on the right. */
export interface Difference {
  /** JSON path like `items[3].price`, `$status`, `$headers.content-type`, `$body` for non-JSON. */
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'type_changed';
  legacy?: unknown;
  candidate?: unknown;
  /**
   * Set when a side is, or holds, the keyed fingerprint of a redacted value: the secret
   * differs (or is on one side only), and neither value is known to Tandem. The report
   * says "differs (redacted)".
   */
  redacted?: true;
  /**
   * Which side's value is a JSON number a double cannot hold (past 2^53, or more
   * significant digits than a double keeps), stored as its digits: `legacy`, `candidate`
   * or `both`. A string of digits sent as a string has none. Causes and suspected noise
   * read such a value as the number (`differenceSide`).
   */
  digits?: 'legacy' | 'candidate' | 'both';
}

/** What the worker derives from an exchange. */
export interface ComparisonResult {
  class: ResultClass;
  /** Set on mismatches. */
  risk?: Risk;
  /** Differences that count (after rules and noise subtraction); at most `retention.maxDifferences` are kept. */
  differences: Difference[];
  /** Differences that counted but were not kept (over `retention.maxDifferences`): the report says "and N more". */
  omittedDifferences?: number;
  /** Paths that differed but were cancelled as noise (legacy differed from itself). */
  noise: string[];
  /** Paths whose values look volatile (timestamps, uuids): flagged, not hidden. */
  suspectedNoise: string[];
  /** Sorted generalised paths of `differences`, joined; set on mismatches. */
  signature?: string;
  /** Human-readable reason for error classes. */
  reason?: string;
}
