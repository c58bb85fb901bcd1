import { isJsonNumber, numberKey } from '../records';
import { deepEqual } from './deep-equal';
import { emitElement, spend, type DiffContext, type ValueDiffer } from './diff-context';
import type { PathSegment } from './path';

/** Above this many leftover pairs, rule-aware pairing (a diff per pair) is skipped. */
const MAX_RULE_AWARE_PAIRS = 2500;

/**
 * Diff arrays as multisets. Elements are paired in three passes: exactly equal ones
 * (hash lookup for scalars, deep-equal for objects), then pairs that differ only in
 * what the rules forgive (ignored fields, tolerance, allowed added fields), then the
 * rest in order, diffed field by field. Unpaired legacy elements are `removed` (at
 * their legacy index), unpaired candidate elements `added` (at their candidate index).
 *
 * @example
 * diffUnordered([1, 2, 3], [3, 1, 2], ['tags'], ctx, diffValue); // records nothing
 */
export function diffUnordered(a: unknown[], b: unknown[], path: PathSegment[], ctx: DiffContext, differ: ValueDiffer): void {
  const usedB = new Uint8Array(b.length);
  const scalarsB = new Map<string, number[]>();
  const objectsB: number[] = [];
  b.forEach((v, j) => {
    const k = scalarKey(v);
    if (k === undefined) objectsB.push(j);
    else (scalarsB.get(k) ?? scalarsB.set(k, []).get(k)!).push(j);
  });
  let leftA: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const k = scalarKey(a[i]);
    spend(ctx);
    // each pairing tried is an operation: n objects against n is n² deep-equals, bounded by the budget
    const j = k === undefined ? objectsB.find((x) => !usedB[x] && (spend(ctx), deepEqual(a[i], b[x]))) : scalarsB.get(k)?.pop();
    if (j === undefined) leftA.push(i);
    else usedB[j] = 1;
  }
  let leftB = b.map((_, j) => j).filter((j) => !usedB[j]);
  if (leftA.length && leftB.length && leftA.length * leftB.length <= MAX_RULE_AWARE_PAIRS) {
    [leftA, leftB] = pairForgiven(a, b, leftA, leftB, path, ctx, differ);
  }
  const n = Math.min(leftA.length, leftB.length);
  for (let p = 0; p < n; p++) {
    path.push(leftA[p]);
    differ(a[leftA[p]], b[leftB[p]], path, ctx);
    path.pop();
  }
  for (let p = n; p < leftA.length; p++) emitElement(ctx, path, leftA[p], 'removed', a[leftA[p]]);
  for (let p = n; p < leftB.length; p++) emitElement(ctx, path, leftB[p], 'added', b[leftB[p]]);
}

/** Pair elements whose diff under the rules is empty; returns what is still unpaired. */
function pairForgiven(
  a: unknown[],
  b: unknown[],
  leftA: number[],
  leftB: number[],
  path: PathSegment[],
  ctx: DiffContext,
  differ: ValueDiffer,
): [number[], number[]] {
  const taken = new Set<number>();
  const restA: number[] = [];
  for (const i of leftA) {
    path.push(i);
    const j = leftB.find((x) => {
      if (taken.has(x)) return false;
      // the same operation budget; differences counted here are not the result's
      const scratch: DiffContext = { rules: ctx.rules, out: [], budget: ctx.budget };
      const omitted = ctx.budget.omitted;
      differ(a[i], b[x], path, scratch);
      ctx.budget.omitted = omitted;
      return scratch.out.length === 0;
    });
    path.pop();
    if (j === undefined) restA.push(i);
    else taken.add(j);
  }
  return [restA, leftB.filter((j) => !taken.has(j))];
}

/** A hashable identity for scalars (type-tagged), undefined for objects and arrays. */
function scalarKey(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (isJsonNumber(v)) return `number:${numberKey(v)}`;
  const t = typeof v;
  return t === 'object' ? undefined : `${t}:${String(v)}`;
}
