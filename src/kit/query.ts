/**
 * Declarative query mapping over the multi-value view: rename, drop, default, re-encode,
 * combine sort fields. Every helper returns a `QueryStep`; parameter order is kept,
 * repeated parameters stay arrays, and results have no prototype (a parameter named
 * `__proto__` or `constructor` is a parameter like any other). Used through
 * `mapRequestQuery`, only the parameters a step changed are written again in the raw
 * query; the others keep the client's bytes.
 */

import type { Query } from '../records';
import { pipe, type QueryStep } from './compose';

/**
 * Rename parameters; values (repeated ones too) move with their name, in place.
 *
 * @example
 * renameParams({ q: 'search' })({ q: 'mug', lang: 'en' }); // { search: 'mug', lang: 'en' }
 */
export function renameParams(renames: Record<string, string>): QueryStep {
  return (q) => {
    const out = emptyQuery();
    for (const [k, v] of Object.entries(q)) {
      const name = Object.hasOwn(renames, k) ? renames[k] : k;
      out[name] = Object.hasOwn(out, name) ? [...values(out[name]), ...values(v)] : v;
    }
    return out;
  };
}

/**
 * Drop parameters.
 *
 * @example
 * dropParams('debug', 'trace')({ debug: '1', q: 'x' }); // { q: 'x' }
 */
export function dropParams(...names: string[]): QueryStep {
  return (q) => {
    const out = emptyQuery();
    for (const [k, v] of Object.entries(q)) if (!names.includes(k)) out[k] = v;
    return out;
  };
}

/**
 * Add parameters the request lacks (an empty value counts as present).
 *
 * @example
 * defaultParams({ limit: '20' })({ q: 'x' }); // { q: 'x', limit: '20' }
 */
export function defaultParams(defaults: Query): QueryStep {
  return (q) => {
    const out = Object.assign(emptyQuery(), q);
    for (const [k, v] of Object.entries(defaults)) if (!Object.hasOwn(out, k)) out[k] = v;
    return out;
  };
}

/**
 * Re-encode one parameter's values. `fn` gets every value (one for a single parameter)
 * and returns the new values; an empty result drops the parameter.
 *
 * @example
 * encodeParam('ids', (vs) => [vs.join(',')])({ ids: ['1', '2'] }); // { ids: '1,2' }
 * encodeParam('active', ([v]) => [v === 'yes' ? 'true' : 'false'])({ active: 'yes' }); // { active: 'true' }
 */
export function encodeParam(name: string, fn: (values: string[]) => string[]): QueryStep {
  return (q) => {
    if (!Object.hasOwn(q, name)) return q;
    const next = fn(values(q[name]));
    const out = emptyQuery();
    for (const [k, v] of Object.entries(q)) {
      if (k !== name) out[k] = v;
      else if (next.length) out[k] = next.length === 1 ? next[0] : next;
    }
    return out;
  };
}

/**
 * Repeated parameters to one comma-separated value (`ids=1&ids=2` → `ids=1,2`).
 *
 * @example
 * joinParam('ids')({ ids: ['1', '2'] }); // { ids: '1,2' }
 */
export function joinParam(name: string, separator = ','): QueryStep {
  return encodeParam(name, (vs) => [vs.join(separator)]);
}

/**
 * One comma-separated value to repeated parameters (`ids=1,2` → `ids=1&ids=2`); empty pieces dropped.
 *
 * @example
 * splitParam('ids')({ ids: '1,2' }); // { ids: ['1', '2'] }
 */
export function splitParam(name: string, separator = ','): QueryStep {
  return encodeParam(name, (vs) => vs.flatMap((v) => v.split(separator)).filter((v) => v !== ''));
}

/**
 * Names of a sort given as a field and a direction (`sort=price&order=desc`) and as one
 * signed field list (`sort=-price`).
 *
 * @example
 * const s: SortParams = { field: 'sort', order: 'order', into: 'sort' };
 */
export interface SortParams {
  /** Parameter naming the field(s), comma-separated for several (default `sort`). */
  field?: string;
  /** Parameter with the direction(s), `asc`/`desc`, comma-separated in step with the fields (default `order`). */
  order?: string;
  /** Parameter of the signed form, `-price,name` (default `sort`). */
  into?: string;
}

/**
 * Combine `sort` + `order` into one signed field list: `sort=price&order=desc` → `sort=-price`;
 * `sort=price,name&order=desc,asc` → `sort=-price,name`. A missing direction is ascending.
 *
 * @example
 * combineSort()({ sort: 'price', order: 'desc', q: 'x' }); // { q: 'x', sort: '-price' }
 */
export function combineSort(p: SortParams = {}): QueryStep {
  const { field = 'sort', order = 'order', into = 'sort' } = p;
  return (q) => {
    if (!Object.hasOwn(q, field)) return q;
    const fields = values(q[field])
      .flatMap((v) => v.split(','))
      .filter(Boolean);
    const dirs = Object.hasOwn(q, order) ? values(q[order]).flatMap((v) => v.split(',')) : [];
    const rest = dropParams(field, order)(q);
    const signed = fields.map((f, i) => ((dirs[i] ?? dirs[0] ?? 'asc').toLowerCase() === 'desc' ? `-${f}` : f));
    if (signed.length) rest[into] = signed.join(',');
    return rest;
  };
}

/**
 * The inverse of `combineSort`: `sort=-price,name` → `sort=price,name&order=desc,asc`.
 *
 * @example
 * splitSort()({ sort: '-price' }); // { sort: 'price', order: 'desc' }
 */
export function splitSort(p: SortParams = {}): QueryStep {
  const { field = 'sort', order = 'order', into = 'sort' } = p;
  return (q) => {
    if (!Object.hasOwn(q, into)) return q;
    const signed = values(q[into])
      .flatMap((v) => v.split(','))
      .filter(Boolean);
    const rest = dropParams(into)(q);
    if (!signed.length) return rest;
    rest[field] = signed.map((s) => s.replace(/^[-+]/, '')).join(',');
    rest[order] = signed.map((s) => (s.startsWith('-') ? 'desc' : 'asc')).join(',');
    return rest;
  };
}

/**
 * The whole declarative query mapping; each part optional, applied in this order:
 * drop, rename, default, encode, sort, then any `steps`.
 *
 * @example
 * mapQuery({ drop: ['debug'], rename: { q: 'search' }, defaults: { lang: 'en' }, sort: {} })({ q: 'mug', sort: 'price', order: 'desc' });
 * // { search: 'mug', lang: 'en', sort: '-price' }
 */
export function mapQuery(spec: {
  drop?: string[];
  rename?: Record<string, string>;
  defaults?: Query;
  encode?: Record<string, (values: string[]) => string[]>;
  sort?: SortParams;
  steps?: QueryStep[];
}): QueryStep {
  const steps: QueryStep[] = [];
  if (spec.drop) steps.push(dropParams(...spec.drop));
  if (spec.rename) steps.push(renameParams(spec.rename));
  if (spec.defaults) steps.push(defaultParams(spec.defaults));
  for (const [name, fn] of Object.entries(spec.encode ?? {})) steps.push(encodeParam(name, fn));
  if (spec.sort) steps.push(combineSort(spec.sort));
  return pipe<Query>(...steps, ...(spec.steps ?? []));
}

/** A query view with no prototype. */
function emptyQuery(): Query {
  return Object.create(null) as Query;
}

/**
 * Every value of a parameter, in order ([] when absent).
 *
 * @example
 * values(['a', 'b']); // ['a', 'b']
 * values('a'); // ['a']
 */
export function values(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
