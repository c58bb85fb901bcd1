import { tokenisePath, type PathToken } from '../compare';

/**
 * One node of the field tree: a generalised path and how often it (itself) differed or was noise.
 *
 * @example
 * const [root]: FieldNode[] = fieldTree({ 'items[*].price': 3 }, {});
 */
export interface FieldNode {
  /** The generalised path, e.g. `items[*].price`; what an ignore rule takes. */
  path: string;
  /** The last segment: `price`, `[*]`, `$status`. */
  label: string;
  differs: number;
  noise: number;
  /** Sums over this node and everything below it. */
  totalDiffers: number;
  totalNoise: number;
  children: FieldNode[];
}

/** Keys written bare after a dot (the compare engine's rule for paths). */
const SIMPLE_KEY = /^[\w$-]+$/;

/**
 * Build the field tree from per-path counts, children sorted by how often they differ.
 *
 * @example
 * const roots = fieldTree({ 'items[*].price': 3 }, { 'items[*].updatedAt': 5 });
 * roots[0].path; // 'items'
 */
export function fieldTree(differs: Record<string, number>, noise: Record<string, number>): FieldNode[] {
  const root: FieldNode = node('', '');
  const all = new Set([...Object.keys(differs), ...Object.keys(noise)]);
  for (const path of all) {
    let at = root;
    for (const { prefix, label } of steps(path)) {
      let child = at.children.find((c) => c.path === prefix);
      if (!child) at.children.push((child = node(prefix, label)));
      at = child;
    }
    at.differs = differs[path] ?? 0;
    at.noise = noise[path] ?? 0;
  }
  total(root);
  return root.children;
}

function node(path: string, label: string): FieldNode {
  return { path, label, differs: 0, noise: 0, totalDiffers: 0, totalNoise: 0, children: [] };
}

/** The prefixes of a path, one per segment; an unreadable path is one segment. */
function steps(path: string): { prefix: string; label: string }[] {
  let tokens: PathToken[];
  try {
    tokens = tokenisePath(path);
  } catch {
    return [{ prefix: path, label: path }];
  }
  const out: { prefix: string; label: string }[] = [];
  let prefix = '';
  for (const t of tokens) {
    const label = t.t === 'key' ? (SIMPLE_KEY.test(t.v) ? t.v : `[${JSON.stringify(t.v)}]`) : t.t === 'index' ? `[${t.v}]` : t.t === 'any' ? '*' : t.t === 'deep' ? '**' : t.t === 'keyed' ? `[${t.key}=${t.value}]` : '[*]';
    prefix += label.startsWith('[') || !prefix ? label : `.${label}`;
    out.push({ prefix, label });
  }
  return out;
}

function total(n: FieldNode): void {
  n.totalDiffers = n.differs;
  n.totalNoise = n.noise;
  for (const c of n.children) {
    total(c);
    n.totalDiffers += c.totalDiffers;
    n.totalNoise += c.totalNoise;
  }
  n.children.sort((a, b) => b.totalDiffers - a.totalDiffers || b.totalNoise - a.totalNoise || a.label.localeCompare(b.label));
}
