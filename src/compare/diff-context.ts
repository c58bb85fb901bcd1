/** What the JSON differ passes down its recursion, and how it records a difference. */

import { plainJson, type Difference } from '../records';
import type { CompiledRules } from './compile-rules';
import type { FoundDifference } from './found-difference';
import { formatPath, type PathSegment } from './path';

/**
 * State shared by one JSON diff: the rules and where differences go.
 *
 * @example
 * const ctx: DiffContext = { rules: compileRules({}), out: [] };
 */
export interface DiffContext {
  readonly rules: CompiledRules;
  readonly out: FoundDifference[];
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
export function emit(ctx: DiffContext, path: PathSegment[], kind: Difference['kind'], legacy: unknown, candidate: unknown, element = false): void {
  if (kind === 'added' && !element && ctx.rules.allowAdded) return;
  if (ctx.rules.ignored(path)) return;
  const segments = path.slice();
  const d: FoundDifference = { area: 'body', segments, path: formatPath(segments), kind };
  // exact numbers (past a double's precision) are kept as their digits, so the stored difference shows them as sent
  if (kind !== 'added') d.legacy = plainJson(legacy);
  if (kind !== 'removed') d.candidate = plainJson(candidate);
  if (element) d.element = true;
  ctx.out.push(d);
}

