import { headerParams, type PathSegment } from '../compare';
import { bracketSegments, underSecret } from './secret-names';

/** Parts read at most; a body with more is treated as unreadable. */
export const MAX_MULTIPART_PARTS = 1000;

/**
 * Replace the contents of secret fields of a `multipart/form-data` body (RFC 7578) by
 * their fingerprints; every other byte, file parts included, is kept. Fields are named by
 * each part's `Content-Disposition: form-data; name="..."` (bracket convention as in forms).
 *
 * `other`, when given, sees every other part's content, its `Content-Type` (undefined when
 * the part has none) and its name as a path, and returns its replacement (the same Buffer
 * to keep it), or null when it cannot be read and may hold a secret.
 *
 * Returns the new bytes (the same Buffer when nothing was secret), or null when the body
 * does not follow the boundary it declares (or `other` said null).
 *
 * @example
 * redactMultipart(body, 'XyZ', (p) => p[0] === 'password', fp);
 */
export function redactMultipart(
  body: Buffer,
  boundary: string,
  isSecret: (path: readonly PathSegment[]) => boolean,
  fp: (value: Buffer) => string,
  other?: (content: Buffer, contentType: string | undefined, path: readonly PathSegment[]) => Buffer | null,
): Buffer | null {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  const out: Buffer[] = [];
  let kept = 0;
  let parts = 0;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break; // the closing delimiter
    if (++parts > MAX_MULTIPART_PARTS) return null;
    const headEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), afterDelimiter);
    if (headEnd < 0 || next < 0 || headEnd > next) return null;
    const head = body.subarray(afterDelimiter, headEnd).toString('latin1');
    const name = partName(head);
    const contentStart = headEnd + 4;
    const path = name === undefined ? undefined : bracketSegments(name);
    const content = body.subarray(contentStart, next);
    let replacement: Buffer | undefined;
    if (path && underSecret(isSecret, path)) {
      const fingerprint = fp(content);
      if (fingerprint !== content.toString('utf8')) replacement = Buffer.from(fingerprint);
    } else if (other) {
      const type = /(?:^|\r\n)content-type:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
      const part = other(content, type, path ?? []);
      if (part === null) return null;
      if (part !== content) replacement = part;
    }
    if (replacement) {
      out.push(body.subarray(kept, contentStart), replacement);
      kept = next;
    }
    at = next + 2;
  }
  if (!out.length) return body;
  out.push(body.subarray(kept));
  return Buffer.concat(out);
}

/**
 * The boundary parameter of a multipart content type, unquoted.
 *
 * @example
 * multipartBoundary('multipart/form-data; boundary="a b"'); // 'a b'
 */
export function multipartBoundary(contentType: string): string | undefined {
  return headerParams(contentType).find((p) => p.name === 'boundary' && p.value)?.value;
}

/**
 * A part's field name from its `Content-Disposition` (RFC 7578 §4.2), as form parsers
 * read it: `name="..."`, an unquoted token `name=...`, or RFC 5987 `name*=utf-8''...`;
 * the raw bytes are read as UTF-8 (what browsers send). Undefined when it has none.
 */
function partName(head: string): string | undefined {
  const disposition = /(?:^|\r\n)content-disposition:[ \t]*([^\r\n]*)/i.exec(head)?.[1];
  if (disposition === undefined) return undefined;
  const params = headerParams(disposition);
  const extended = params.find((p) => p.name === 'name*')?.value;
  const ext = extended === undefined ? undefined : /^utf-8'[^']*'(.*)$/i.exec(extended)?.[1];
  if (ext !== undefined) {
    try {
      return decodeURIComponent(ext);
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  const name = params.find((p) => p.name === 'name')?.value;
  return name === undefined ? undefined : Buffer.from(name, 'latin1').toString('utf8');
}
