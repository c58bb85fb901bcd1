import type { PathSegment } from '../compare';
import { bracketSegments } from './secret-names';

/** Parts read at most; a body with more is treated as unreadable. */
export const MAX_MULTIPART_PARTS = 1000;

/**
 * Replace the contents of secret fields of a `multipart/form-data` body (RFC 7578) by
 * their fingerprints; every other byte, file parts included, is kept. Fields are named by
 * each part's `Content-Disposition: form-data; name="..."` (bracket convention as in forms).
 *
 * Returns the new bytes (the same Buffer when nothing was secret), or null when the body
 * does not follow the boundary it declares.
 *
 * @example
 * redactMultipart(body, 'XyZ', (p) => p[0] === 'password', fp);
 */
export function redactMultipart(
  body: Buffer,
  boundary: string,
  isSecret: (path: readonly PathSegment[]) => boolean,
  fp: (value: Buffer) => string,
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
    const name = /content-disposition:[^\r\n]*?\bname="((?:[^"\\]|\\.)*)"/i.exec(head)?.[1];
    const contentStart = headEnd + 4;
    if (name !== undefined && isSecret(bracketSegments(Buffer.from(name, 'latin1').toString('utf8')))) {
      const content = body.subarray(contentStart, next);
      const replacement = fp(content);
      if (replacement !== content.toString('utf8')) {
        out.push(body.subarray(kept, contentStart), Buffer.from(replacement));
        kept = next;
      }
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
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}
