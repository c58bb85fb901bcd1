const NONE: readonly string[] = Object.freeze([]);

/** Fields a `Connection` option never removes: they frame the message, and a sender must not list them. */
const FRAMING: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding']);

/**
 * The field names a `Connection` header value lists (RFC 9110 section 7.6.1), lower-case:
 * a proxy removes each such field, with `Connection` itself, before forwarding the message.
 * The connection's own options `close` and `keep-alive` and the framing fields (`host`,
 * `content-length`, `transfer-encoding`) are never listed names. `[]` when there are none.
 *
 * @example
 * connectionOptions('X-Hop, close, keep-alive'); // ['x-hop']
 */
export function connectionOptions(value: string | string[] | undefined): readonly string[] {
  // The usual values, without a split.
  if (value === undefined || value === 'keep-alive' || value === 'close' || value === 'Keep-Alive') return NONE;
  const out: string[] = [];
  for (const raw of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const name = raw.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive' && !FRAMING.has(name)) out.push(name);
  }
  return out;
}
