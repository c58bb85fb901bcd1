import { pathPrefixes } from '../compare';
import { shareOfCompared } from '../store';

/**
 * One node of the field tree: a generalised path, how often it (itself) differed or was
 * noise, and in how many comparisons it or anything below it did.
 *
 * @example
 * const [root]: FieldNode[] = fieldTree({ 'items[*].price': 3 }, {});
 */
export interface FieldNode {
  /** The generalised path, e.g. `items[*].price`; what an ignore rule takes. */
  path: string;
  /** The last segment: `price`, `[*]`, `$status`. */
  label: string;
  /** Comparisons in which this exact path differed. */
  differs: number;
  /** Comparisons in which this exact path was noise. */
  noise: number;
  /**
   * Comparisons in which this path or anything below it differed (resp. was noise): each
   * comparison counts once however many paths below differed in it, so it is never more
   * than the comparisons recorded (never a sum of the children).
   */
  totalDiffers: number;
  totalNoise: number;
  /** `totalDiffers` of the route's comparisons (`shareOfCompared`, as a cause's share), 0..1; null before any. */
  share: number | null;
  children: FieldNode[];
}

/**
 * Per generalised path, the comparisons in which it or anything below it differed
 * (`differs`) or was noise (`noise`): the store's `field-totals` hash, which records
 * every prefix of every differing path once per comparison.
 *
 * @example
 * const t: FieldTotals = { differs: { items: 3, 'items[*]': 3, 'items[*].price': 2 }, noise: {} };
 */
export interface FieldTotals {
  differs: Record<string, number>;
  noise: Record<string, number>;
}

/**
 * Build the field tree from per-path counts, children sorted by how often they differ.
 * A node's totals are read from `totals` (comparisons in which it or anything below it
 * differed); results recorded before totals were kept (`tandem rediff` recomputes them)
 * make a node at least the largest count of itself and its children: a lower bound,
 * never a sum that could exceed the comparisons.
 *
 * @example
 * const roots = fieldTree({ 'items[*].price': 3 }, { 'items[*].updatedAt': 5 });
 * roots[0].path; // 'items'
 */
export function fieldTree(
  differs: Record<string, number>,
  noise: Record<string, number>,
  totals: FieldTotals = { differs: {}, noise: {} },
  compared = 0,
): FieldNode[] {
  const root: FieldNode = node('', '');
  const all = new Set([...Object.keys(differs), ...Object.keys(noise)]);
  for (const path of all) {
    let at = root;
    for (const { prefix, label } of pathPrefixes(path)) {
      let child = at.children.find((c) => c.path === prefix);
      if (!child) at.children.push((child = node(prefix, label)));
      at = child;
    }
    at.differs = differs[path] ?? 0;
    at.noise = noise[path] ?? 0;
  }
  for (const c of root.children) total(c, totals, compared);
  root.children.sort(byCount);
  return root.children;
}

function node(path: string, label: string): FieldNode {
  return { path, label, differs: 0, noise: 0, totalDiffers: 0, totalNoise: 0, share: null, children: [] };
}

function total(n: FieldNode, totals: FieldTotals, compared: number): void {
  let differs = n.differs;
  let noise = n.noise;
  for (const c of n.children) {
    total(c, totals, compared);
    differs = Math.max(differs, c.totalDiffers);
    noise = Math.max(noise, c.totalNoise);
  }
  // both are lower bounds of the truth (totals miss results recorded before they were kept)
  n.totalDiffers = Math.max(totals.differs[n.path] ?? 0, differs);
  n.totalNoise = Math.max(totals.noise[n.path] ?? 0, noise);
  n.share = shareOfCompared(n.totalDiffers, compared);
  n.children.sort(byCount);
}

const byCount = (a: FieldNode, b: FieldNode) =>
  b.totalDiffers - a.totalDiffers || b.totalNoise - a.totalNoise || a.label.localeCompare(b.label);
