import { isJsonMediaType, mediaType } from './media-type';

/**
 * How Tandem reads a body, by its content type alone: `json`, `form`, `text` or `binary`.
 *
 * @example
 * const c: BodyClass = bodyClass('text/csv'); // 'text'
 */
export type BodyClass = 'json' | 'form' | 'text' | 'binary';

/**
 * The one body classification of Tandem, used by the comparison (`parseComparedBody` in
 * src/compare), the translators' body codec and redaction alike, so a body is never
 * JSON to one and text to another:
 * - `json`: `application/json`, `application/*+json`, `text/json` (see `isJsonMediaType`);
 * - `form`: `application/x-www-form-urlencoded`;
 * - `text`: `text/*`, XML (`* /xml`, `*+xml`), JavaScript and ECMAScript types;
 * - `binary`: anything else, and no content type at all.
 * Media types are case-insensitive and parameters are ignored (RFC 9110 section 8.3.1);
 * what a charset parameter means is for the reader to decide.
 *
 * @example
 * bodyClass('Text/JSON; charset=utf-8'); // 'json'
 * bodyClass('image/svg+xml'); // 'text'
 * bodyClass(undefined); // 'binary'
 */
export function bodyClass(contentType: string | string[] | undefined): BodyClass {
  if (isJsonMediaType(contentType)) return 'json';
  const mt = mediaType(contentType);
  if (mt === 'application/x-www-form-urlencoded') return 'form';
  if (mt.startsWith('text/') || mt.endsWith('/xml') || mt.endsWith('+xml') || mt.includes('javascript') || mt === 'application/ecmascript')
    return 'text';
  return 'binary';
}
