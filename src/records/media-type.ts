/**
 * The media type of a content-type value: lower-case (media types are
 * case-insensitive, RFC 9110 section 8.3.1), parameters (charset...) dropped. Every
 * media-type check in Tandem goes through this.
 *
 * @example
 * mediaType('Text/Event-Stream; charset=utf-8'); // 'text/event-stream'
 * mediaType(undefined); // ''
 */
export function mediaType(contentType: string | string[] | undefined): string {
  const v = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!v) return '';
  const semi = v.indexOf(';');
  return (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase();
}

/**
 * Whether a media type is JSON: `application/json`, any `+json` suffix, or `text/json`.
 *
 * @example
 * isJsonMediaType('Application/Problem+JSON; charset=utf-8'); // true
 */
export function isJsonMediaType(contentType: string | string[] | undefined): boolean {
  const mt = mediaType(contentType);
  return mt === 'application/json' || mt === 'text/json' || /^application\/[\w.-]+\+json$/.test(mt);
}
