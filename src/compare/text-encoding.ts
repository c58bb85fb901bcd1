import { isUtf8 } from 'node:buffer';
import { _canonicalizeEncoding, decode, encode, encodingExists } from 'iconv-lite';
import { headerParams } from './header-params';

/**
 * How a textual body (JSON, form, text) was encoded: what the comparison reports on
 * its own as `$charset` and `$bom` differences, apart from the decoded content.
 *
 * @example
 * const e: TextEncoding = { charset: 'utf-8', declared: false, bom: 'utf-8' };
 */
export interface TextEncoding {
  /** Canonical charset the body was decoded with (`utf-8`, `iso-8859-1`, `windows-1252`, ...). */
  charset: string;
  /** Whether the content-type named it (JSON and forms are UTF-8 when it does not). */
  declared: boolean;
  /** A byte-order mark at the start of the body (stripped before parsing). */
  bom?: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** The bytes are not valid in `charset` (decoded as clients would, with U+FFFD). */
  malformed?: boolean;
}

/** Common aliases, so `latin1` and `ISO-8859-1` are one charset (iconv-lite canonical form → name). */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  unicode11utf8: 'utf-8',
  latin1: 'iso-8859-1',
  iso88591: 'iso-8859-1',
  l1: 'iso-8859-1',
  cp819: 'iso-8859-1',
  ibm819: 'iso-8859-1',
  isoir100: 'iso-8859-1',
  ascii: 'us-ascii',
  usascii: 'us-ascii',
  ansix341968: 'us-ascii',
  cp1252: 'windows-1252',
  windows1252: 'windows-1252',
  xcp1252: 'windows-1252',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  utf16: 'utf-16',
};

/**
 * One name per charset label: `UTF8`, `utf-8` → `utf-8`; `latin1`, `ISO_8859-1` → `iso-8859-1`.
 *
 * @example
 * canonicalCharset('"ISO_8859-1"'); // 'iso-8859-1'
 */
export function canonicalCharset(label: string): string {
  const plain = label.trim().replace(/^"|"$/g, '').toLowerCase();
  const key = _canonicalizeEncoding(plain);
  return ALIASES[key] ?? plain;
}

/**
 * The charset parameter of a content type, canonical; undefined when there is none.
 * Parameters are read as content-type parsers read them (`headerParams`), so a
 * `charset=` inside another quoted parameter is not the charset. Two different charsets
 * are ambiguous (parsers differ on which one wins): the result is then both labels joined
 * by `, `, which is no charset, so the body is unreadable (and withheld by redaction).
 *
 * @example
 * declaredCharset('text/plain; charset="Latin1"'); // 'iso-8859-1'
 * declaredCharset('text/plain; charset=utf-8; charset=utf-16le'); // 'utf-8, utf-16le'
 */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (!contentType || !/charset/i.test(contentType)) return undefined;
  const labels = new Set<string>();
  for (const p of headerParams(contentType)) if (p.name === 'charset' && p.value) labels.add(canonicalCharset(p.value));
  return labels.size === 0 ? undefined : [...labels].join(', ');
}

/**
 * iconv-lite codecs that are Node's byte-to-string encodings, not charsets: "decoding" with
 * them gives an encoding of the bytes (base64 or hex digits), never the text in them.
 */
const NOT_TEXT = new Set(['base64', 'hex']);

function bomOf(bytes: Buffer): TextEncoding['bom'] {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

const BOM_LENGTH = { 'utf-8': 3, 'utf-16le': 2, 'utf-16be': 2 } as const;

/**
 * Decode a textual body as a client would: by its declared charset (iconv-lite), else by
 * its byte-order mark, else as UTF-8. A BOM of the charset decoded with is recorded and
 * stripped (another one is recorded and left in the text, as clients see it). Bytes
 * invalid in UTF-8 are decoded with U+FFFD and marked `malformed`. Null for a charset
 * iconv-lite does not know.
 *
 * @example
 * decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1'); // { text: 'café', encoding: { charset: 'iso-8859-1', declared: true } }
 * decodeText(Buffer.from('\ufeff{}'), undefined)?.encoding; // { charset: 'utf-8', declared: false, bom: 'utf-8' }
 */
export function decodeText(bytes: Buffer, declared: string | undefined): { text: string; encoding: TextEncoding } | null {
  const bom = bomOf(bytes);
  const charset = declared ?? (bom && bom !== 'utf-8' ? bom : 'utf-8');
  if (!encodingExists(charset) || NOT_TEXT.has(_canonicalizeEncoding(charset))) return null;
  const encoding: TextEncoding = { charset, declared: declared !== undefined };
  if (bom) encoding.bom = bom;
  const ownBom = bom !== undefined && (bom === charset || (charset === 'utf-16' && bom !== 'utf-8'));
  const body = ownBom ? bytes.subarray(BOM_LENGTH[bom]) : bytes;
  if (charset === 'utf-8' || charset === 'us-ascii') {
    if (!isUtf8(body)) encoding.malformed = true;
    return { text: body.toString('utf8'), encoding };
  }
  return { text: decode(body, ownBom && charset === 'utf-16' ? bom : charset, { stripBOM: false }), encoding };
}

/**
 * The encoding differences of two textual bodies, each a difference of its own:
 * `$charset` when they were decoded with different charsets (or one side's bytes are
 * invalid in its charset), `$bom` when a byte-order mark was added, removed or changed.
 * Both are `changed` (medium risk): a client reads the body differently. Ignore them
 * with `ignore: ['$charset']` or `['$bom']`.
 *
 * @example
 * encodingDifferences({ charset: 'utf-8', declared: false }, { charset: 'utf-8', declared: false, bom: 'utf-8' });
 * // [{ path: '$bom', kind: 'changed', legacy: 'none', candidate: 'utf-8' }]
 */
export function encodingDifferences(
  a: TextEncoding | undefined,
  b: TextEncoding | undefined,
): { path: '$charset' | '$bom'; kind: 'changed'; legacy: string; candidate: string }[] {
  if (!a || !b) return [];
  const out: { path: '$charset' | '$bom'; kind: 'changed'; legacy: string; candidate: string }[] = [];
  const label = (e: TextEncoding) => (e.malformed ? `${e.charset} (invalid bytes)` : e.charset);
  if (label(a) !== label(b)) out.push({ path: '$charset', kind: 'changed', legacy: label(a), candidate: label(b) });
  if (a.bom !== b.bom) out.push({ path: '$bom', kind: 'changed', legacy: a.bom ?? 'none', candidate: b.bom ?? 'none' });
  return out;
}

/**
 * The inverse of `decodeText`: `text` in the charset it was decoded with, its byte-order
 * mark put back in front when `decodeText` stripped one. Null when that does not give back
 * `original` for the original text (bytes invalid in the charset, a BOM-less `utf-16`),
 * so a caller re-encoding an edited text never silently changes the bytes around its edits.
 *
 * @example
 * const d = decodeText(bytes, 'utf-16le')!;
 * encodeText(d.text.replace('x', 'y'), d.encoding, bytes); // the edited text as UTF-16LE bytes
 */
export function encodeText(text: string, encoding: TextEncoding, original: { text: string; bytes: Buffer }): Buffer | null {
  const { charset, bom } = encoding;
  if (!encodingExists(charset) || NOT_TEXT.has(_canonicalizeEncoding(charset))) return null;
  const ownBom = bom !== undefined && (bom === charset || (charset === 'utf-16' && bom !== 'utf-8'));
  const as = ownBom ? bom : charset;
  const prefix = ownBom ? original.bytes.subarray(0, BOM_LENGTH[bom]) : Buffer.alloc(0);
  const enc = (t: string) => Buffer.concat([prefix, as === 'utf-8' ? Buffer.from(t, 'utf8') : encode(t, as, { addBOM: false })]);
  if (!enc(original.text).equals(original.bytes)) return null;
  return enc(text);
}
