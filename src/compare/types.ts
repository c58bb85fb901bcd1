import type { BodyRecord, Headers } from '../records';
import type { TextEncoding } from './text-encoding';

/**
 * A response body after decompression and parsing by content type.
 *
 * @example
 * const body: NormalisedBody = { kind: 'json', value: { id: 7 } };
 */
export type NormalisedBody =
  | { kind: 'empty' }
  /** `encoding`: how the text was encoded, absent for plain UTF-8 (see `decodeText`). */
  | { kind: 'json'; value: unknown; encoding?: TextEncoding }
  | { kind: 'form'; value: Record<string, string | string[]>; encoding?: TextEncoding }
  | { kind: 'text'; value: string; encoding?: TextEncoding }
  | { kind: 'binary'; size: number; sha256: string }
  | { kind: 'unparseable'; reason: string }
  /** `reason` says why (over the capture cap, or a decompression bomb refused); `sha256` as recorded, if it was. */
  | { kind: 'too_large'; size: number; sha256?: string; reason?: string };

/**
 * The kinds a normalised body can take.
 *
 * @example
 * const kind: NormalisedBodyKind = 'too_large';
 */
export type NormalisedBodyKind = NormalisedBody['kind'];

/**
 * A response ready to compare.
 *
 * @example
 * const res: NormalisedResponse = { status: 204, headers: {}, body: { kind: 'empty' } };
 */
export interface NormalisedResponse {
  status: number;
  /** Lower-case header names, as Node gives them. */
  headers: Headers;
  /**
   * The body, decoded and parsed. For a byte-equal pair from `normalisePair` an accessor
   * that decodes, decompresses and parses on first read (once): read it only when needed.
   */
  body: NormalisedBody;
  /**
   * The raw body as recorded, with what decided its parsing. Two responses with the same
   * raw bytes, content-encoding, media type and charset have identical normalised bodies,
   * which lets the comparison skip all body work without reading either body. Absent on
   * responses built by `fromTranslated` and on empty bodies (but for a byte-equal pair from
   * `normalisePair`, whose body is not read to know: its twin is then as empty).
   */
  raw?: RawBody;
}

/**
 * What `normaliseResponse` read a body from.
 *
 * @example
 * normaliseResponse(record, opts).raw; // { record, contentEncoding: 'gzip', mediaType: 'application/json' }
 */
export interface RawBody {
  record: BodyRecord;
  /** Content-Encoding header value, '' when absent. */
  contentEncoding: string;
  /** Media type of the content-type, '' when absent. */
  mediaType: string;
  /** Declared charset (canonical), '' when absent: the same bytes read in another charset are other text. */
  charset: string;
}
