/**
 * The parameters of a header value such as a content type or a content disposition
 * (RFC 9110 §5.6.6, RFC 6266): `; name=token` or `; name="quoted string"`, in order,
 * names lower-cased, quoted values unescaped. What follows the first `;` is walked
 * parameter by parameter, so a `charset=` or `name=` inside another parameter's quoted
 * value is never taken for a parameter of its own. A segment that does not follow the
 * grammar is skipped up to the next `;` outside quotes. Linear in the value's length.
 *
 * @example
 * headerParams('application/json; foo="x;charset=utf-8"; charset=utf-16le');
 * // [{ name: 'foo', value: 'x;charset=utf-8' }, { name: 'charset', value: 'utf-16le' }]
 * headerParams('form-data; name=password'); // [{ name: 'name', value: 'password' }]
 */
export function headerParams(value: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  let at = value.indexOf(';');
  if (at < 0) return out;
  while (at < value.length) {
    PARAM.lastIndex = at;
    const m = PARAM.exec(value);
    if (m) {
      out.push({ name: m[1].toLowerCase(), value: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3] });
      at = PARAM.lastIndex;
      continue;
    }
    SKIP.lastIndex = at;
    SKIP.exec(value);
    if (SKIP.lastIndex <= at) break;
    at = SKIP.lastIndex;
  }
  return out;
}

/** `; name = token` or `; name = "quoted string"` (spaces around `=` as lenient parsers allow). */
const PARAM = /[ \t]*;[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\[\s\S])*)"|([^;"\s]*))[ \t]*(?=;|$)/y;
/** A segment that is not a parameter: up to the next `;` outside quotes. */
const SKIP = /;?(?:"(?:[^"\\]|\\[\s\S])*"?|[^;"])*/y;
