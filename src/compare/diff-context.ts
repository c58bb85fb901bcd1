/** What the JSON differ passes down its recursion, and how it records a difference. */

import { isLosslessNumber, plainJson, type Difference } from '../records';
import type { CompiledRules } from './compile-rules';
import type { FoundDifference } from './found-difference';
import { formatPath, type PathSegment } from './path';

/**
 * Operations one body diff may spend (values visited, differences recorded, element
 * pairings tried) before it stops: bounds the diff's time on huge or pathological
 * documents (a 1,000,000-element array of changed values). Beyond it the bodies are
 * classified `too_large` with a reason saying so, never computed forever.
 */
export const MAX_DIFF_OPERATIONS = 1_000_000;

/**
 * Differences one body diff builds at most; beyond it they are only counted
 * (`DiffBudget.omitted`), so memory stays bounded however many values differ.
 */
export const MAX_FOUND_DIFFERENCES = 10_000;

/**
 * The budget of one body diff, shared by everything it calls: operations left, how many
 * differences it keeps, and how many it counted without keeping.
 *
 * @example
 * const budget = diffBudget(); // { left: 1000000, limit: 1000000, keep: 10000, omitted: 0 }
 */
export interface DiffBudget {
  left: number;
  readonly limit: number;
  readonly keep: number;
  omitted: number;
}

/**
 * A fresh budget.
 *
 * @example
 * diffBudget(5000).limit; // 5000
 */
export function diffBudget(operations = MAX_DIFF_OPERATIONS, keep = MAX_FOUND_DIFFERENCES): DiffBudget {
  return { left: operations, limit: operations, keep, omitted: 0 };
}

/**
 * Thrown when a diff has spent its operation budget; the comparison turns it into a
 * `too_large` result with `reason` (see collectDifferences).
 *
 * @example
 * try { diffJson(a, b, rules, diffBudget(10)) } catch (e) { if (e instanceof DiffBudgetExceeded) e.reason }
 */
export class DiffBudgetExceeded extends Error {
  readonly reason: string;
  constructor(readonly operations: number) {
    super(`the diff stopped after ${operations.toLocaleString('en-US')} operations`);
    this.name = 'DiffBudgetExceeded';
    this.reason = `too large to compare field by field: ${this.message} (worker.maxDiffOperations)`;
  }
}

/**
 * Spend `n` operations of the diff's budget; throws DiffBudgetExceeded when none is left.
 *
 * @example
 * spend(ctx); // one value visited
 */
export function spend(ctx: DiffContext, n = 1): void {
  if ((ctx.budget.left -= n) < 0) throw new DiffBudgetExceeded(ctx.budget.limit);
}

/**
 * State shared by one JSON diff: the rules, where differences go, and its budget.
 *
 * @example
 * const ctx: DiffContext = { rules: compileRules({}), out: [], budget: diffBudget() };
 */
export interface DiffContext {
  readonly rules: CompiledRules;
  readonly out: FoundDifference[];
  readonly budget: DiffBudget;
}

/**
 * Diff two values at `path` (a stack the differ pushes to and pops from).
 *
 * @example
 * const differ: ValueDiffer = diffValue;
 * differ({ a: 1 }, { a: 2 }, [], ctx); // ctx.out[0].path === 'a'
 */
export type ValueDiffer = (a: unknown, b: unknown, path: PathSegment[], ctx: DiffContext) => void;

/**
 * Record a whole array element only on one side, at `path[seg]`.
 *
 * @example
 * emitElement(ctx, ['items'], 3, 'removed', { id: 1 }); // path 'items[3]'
 */
export function emitElement(ctx: DiffContext, path: PathSegment[], seg: PathSegment, kind: 'added' | 'removed', value: unknown): void {
  path.push(seg);
  emit(ctx, path, kind, kind === 'removed' ? value : undefined, kind === 'added' ? value : undefined, true);
  path.pop();
}

/**
 * Record one difference unless it is ignored or an allowed added field.
 *
 * @example
 * emit(ctx, ['price'], 'changed', 1, 2);
 */
export function emit(
  ctx: DiffContext,
  path: PathSegment[],
  kind: Difference['kind'],
  legacy: unknown,
  candidate: unknown,
  element = false,
): void {
  if (kind === 'added' && !element && ctx.rules.allowAdded) return;
  if (ctx.rules.ignored(path)) return;
  spend(ctx);
  // past the kept differences, only count: memory stays bounded however many values differ
  if (ctx.out.length >= ctx.budget.keep) return void ctx.budget.omitted++;
  const segments = path.slice();
  const d: FoundDifference = { area: 'body', segments, path: formatPath(segments), kind };
  // exact numbers (past a double's precision) are kept as their digits, so the stored difference shows them as sent,
  // and marked, so that its cause and volatility still read them as numbers
  if (kind !== 'added') d.legacy = plainJson(legacy);
  if (kind !== 'removed') d.candidate = plainJson(candidate);
  const l = kind !== 'added' && writtenAsDigits(legacy);
  const c = kind !== 'removed' && writtenAsDigits(candidate);
  if (l || c) d.digits = l && c ? 'both' : l ? 'legacy' : 'candidate';
  if (element) d.element = true;
  ctx.out.push(d);
}

/** A number `plainJson` writes as its digits (a string): a lossless-json number or a bigint. */
const writtenAsDigits = (v: unknown): boolean => typeof v === 'bigint' || isLosslessNumber(v);
