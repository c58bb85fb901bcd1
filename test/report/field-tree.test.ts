import { pathPrefixes } from '../../src/compare';
import { fieldTree, type FieldNode } from '../../src/report/field-tree';
import { shareOfCompared } from '../../src/store';

const find = (nodes: FieldNode[], p: string): FieldNode | undefined =>
  nodes.map((n) => (n.path === p ? n : find(n.children, p))).find(Boolean);

describe('field tree totals', () => {
  it('takes a parent total from the per-comparison totals, never the sum of its children', () => {
    // 3 comparisons, each differing in items[*].price and items[*].name, and in two headers
    const differs = { 'items[*].price': 3, 'items[*].name': 3, '$headers.x-a': 3, '$headers.x-b': 3 };
    const totals = {
      differs: { items: 3, 'items[*]': 3, 'items[*].price': 3, 'items[*].name': 3, $headers: 3, '$headers.x-a': 3, '$headers.x-b': 3 },
      noise: {},
    };
    const tree = fieldTree(differs, {}, totals);
    expect(find(tree, 'items[*]')).toMatchObject({ differs: 0, totalDiffers: 3 });
    expect(find(tree, 'items')).toMatchObject({ totalDiffers: 3 });
    expect(find(tree, '$headers')).toMatchObject({ totalDiffers: 3 });
  });

  it('without totals (results recorded before they were kept), a parent is at least its largest child, never their sum', () => {
    const tree = fieldTree({ 'items[*].price': 3, 'items[*].name': 2, items: 1 }, { 'items[*].ts': 4 });
    expect(find(tree, 'items[*]')).toMatchObject({ totalDiffers: 3, totalNoise: 4 });
    expect(find(tree, 'items')).toMatchObject({ differs: 1, totalDiffers: 3 });
  });

  it("gives each node its share of the route's comparisons, as a cause's share is computed", () => {
    const tree = fieldTree({ 'items[*].price': 3 }, {}, { differs: { items: 3, 'items[*]': 3, 'items[*].price': 3 }, noise: {} }, 12);
    expect(find(tree, 'items[*].price')!.share).toBe(shareOfCompared(3, 12));
    expect(find(tree, 'items')!.share).toBe(0.25);
    // Before any comparison there is no share (0/0), as for causes.
    expect(find(fieldTree({ a: 1 }, {}), 'a')!.share).toBeNull();
  });

  it('pathPrefixes gives the tree its node paths, root first', () => {
    expect(pathPrefixes('items[*].price').map((p) => p.prefix)).toEqual(['items', 'items[*]', 'items[*].price']);
    expect(pathPrefixes('$headers.content-type').map((p) => p.label)).toEqual(['$headers', 'content-type']);
    expect(pathPrefixes('a["b.c"]').map((p) => p.prefix)).toEqual(['a', 'a["b.c"]']);
  });
});
