import { isJsonNumber, withinTolerance } from '../records';
import type { CompiledRules } from './compile-rules';
import type { FoundDifference } from './found-difference';
import type { PathSegment } from './path';
import { diffBudget, emit, emitElement, spend, type DiffBudget, type DiffContext, type ValueDiffer } from './diff-context';
import { diffKeyed } from './diff-keyed-array';
import { diffUnordered } from './diff-unordered-array';

/**
 * Diff two JSON values, legacy on the left. Paths are concrete (`items[3].price`,
 * `items[id=7].price`; the root is `$body`). Ignored paths, added fields under
 * `allowAdded` and numbers within tolerance produce nothing. Numbers compare by exact
 * decimal value (`1.0` equals `1`; `9007199254740993` differs from `9007199254740992`),
 * with `numericTolerance` only where it is configured. The diff spends `budget`
 * (values visited, differences recorded): it keeps `budget.keep` differences and counts
 * the rest in `budget.omitted`, and throws DiffBudgetExceeded past `budget.limit` operations.
 *
 * @example
 * diffJson({ a: 1, b: 'x' }, { a: 2 }, compileRules({}));
 * // [{ path: 'a', kind: 'changed', legacy: 1, candidate: 2, ... }, { path: 'b', kind: 'removed', legacy: 'x', ... }]
 */
export function diffJson(legacy: unknown, candidate: unknown, rules: CompiledRules, budget: DiffBudget = diffBudget()): FoundDifference[] {
  const ctx: DiffContext = { rules, out: [], budget };
  diffValue(legacy, candidate, [], ctx);
  return ctx.out;
}

/**
 * The recursive step: type check, then numbers, scalars, objects or arrays.
 *
 * @example
 * const ctx = { rules: compileRules({}), out: [], budget: diffBudget() };
 * diffValue(1, '1', ['a'], ctx); // ctx.out[0].kind === 'type_changed'
 */
export const diffValue: ValueDiffer = (a, b, path, ctx) => {
  if (a === b) return;
  spend(ctx);
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return emit(ctx, path, 'type_changed', a, b);
  if (ta === 'number') {
    if (withinTolerance(a as number, b as number, ctx.rules.numericTolerance)) return;
    return emit(ctx, path, 'changed', a, b);
  }
  if (ta === 'array') return diffArray(a as unknown[], b as unknown[], path, ctx);
  if (ta === 'object') return diffObject(a as Record<string, unknown>, b as Record<string, unknown>, path, ctx);
  emit(ctx, path, 'changed', a, b);
};

function diffObject(a: Record<string, unknown>, b: Record<string, unknown>, path: PathSegment[], ctx: DiffContext): void {
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    path.push(k);
    if (Object.hasOwn(b, k)) diffValue(a[k], b[k], path, ctx);
    else emit(ctx, path, 'removed', a[k], undefined);
    path.pop();
  }
  for (const k in b) {
    if (!Object.hasOwn(b, k) || Object.hasOwn(a, k)) continue;
    path.push(k);
    emit(ctx, path, 'added', undefined, b[k]);
    path.pop();
  }
}

function diffArray(a: unknown[], b: unknown[], path: PathSegment[], ctx: DiffContext): void {
  if (ctx.rules.hasArrayRules) {
    const key = ctx.rules.arrayKeyAt(path);
    if (key !== undefined && diffKeyed(a, b, key, path, ctx, diffValue)) return;
    if (ctx.rules.unorderedAt(path)) return diffUnordered(a, b, path, ctx, diffValue);
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    path.push(i);
    diffValue(a[i], b[i], path, ctx);
    path.pop();
  }
  for (let i = n; i < a.length; i++) emitElement(ctx, path, i, 'removed', a[i]);
  for (let i = n; i < b.length; i++) emitElement(ctx, path, i, 'added', b[i]);
}

/**
 * The JSON type of a value: null, array, object, number (a `number`, or an exact
 * `LosslessNumber` or `bigint`), string, boolean (or undefined).
 *
 * @example
 * typeName(null); // 'null'
 * typeName([1]); // 'array'
 */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  const t = typeof v;
  if (t !== 'object') return t === 'bigint' ? 'number' : t;
  if (Array.isArray(v)) return 'array';
  return isJsonNumber(v) ? 'number' : 'object';
}
