/** Small helpers shared by the example translators (not a translator itself). */

/**
 * True for a plain JSON object (not an array, null or Buffer).
 *
 * @example
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/**
 * A copy of `obj` with keys renamed in place (key order kept). A renamed key
 * replaces an existing key of the target name.
 *
 * @example
 * renameKeys({ id: 1, title: 'Mug' }, { title: 'name' }); // { id: 1, name: 'Mug' }
 */
export function renameKeys(obj: Record<string, unknown>, renames: Record<string, string>): Record<string, unknown> {
  const targets = new Set(Object.keys(renames).filter((k) => k in obj).map((k) => renames[k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (Object.hasOwn(renames, k)) out[renames[k]] = v;
    else if (!targets.has(k)) out[k] = v;
  }
  return out;
}

/**
 * Apply `fn` to a body that is one record or an array of records; anything else
 * (and non-record array items) is returned unchanged.
 *
 * @example
 * mapRecords([{ a: 1 }, 2], (r) => ({ ...r, b: 2 })); // [{ a: 1, b: 2 }, 2]
 */
export function mapRecords(body: unknown, fn: (r: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(body)) return body.map((item) => (isRecord(item) ? fn(item) : item));
  return isRecord(body) ? fn(body) : body;
}

/**
 * True for a 2xx status: the examples leave error bodies alone.
 *
 * @example
 * isSuccess(204); // true
 */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
