import type { Headers } from '../records';

/**
 * The media type of a content-type value: lower-case, parameters (charset...) dropped.
 *
 * @example
 * mediaType('Application/JSON; charset=UTF-8'); // 'application/json'
 * mediaType(undefined); // ''
 */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/**
 * A header as one string: repeated values joined with `, `; undefined when absent.
 * Names are looked up lower-case, as Node stores them.
 *
 * @example
 * headerString({ vary: ['accept', 'origin'] }, 'vary'); // 'accept, origin'
 */
export function headerString(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}
