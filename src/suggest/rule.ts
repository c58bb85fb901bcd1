/**
 * A suggested rule with its evidence: how many pairs support it out of how many could
 * have, and a few counterexamples (exchange id and what was seen).
 *
 * @example
 * const r: Rule = { kind: 'rename', text: "title → name", support: 64, of: 64, counterexamples: [] };
 */
export interface Rule {
  kind:
    | 'path'
    | 'query_rename'
    | 'query_drop'
    | 'paging'
    | 'sort'
    | 'envelope'
    | 'rename'
    | 'move'
    | 'join'
    | 'split'
    | 'coerce'
    | 'drop'
    | 'reorder'
    | 'error_body'
    | 'missing';
  /** One line for people. */
  text: string;
  support: number;
  of: number;
  counterexamples: string[];
  /** What the draft needs (kind-specific). */
  data: Record<string, unknown>;
}

/** Share of supporting pairs from which a rule is proposed. */
export const MIN_SUPPORT = 0.9;

/**
 * Evidence as `n of m pairs` with up to three counterexamples.
 *
 * @example
 * evidence({ support: 9, of: 10, counterexamples: ['ex-1: "a" vs "b"'] }); // '9 of 10 pairs; counterexample ex-1: "a" vs "b"'
 */
export function evidence(r: Pick<Rule, 'support' | 'of' | 'counterexamples'>): string {
  const ce = r.counterexamples.slice(0, 3);
  return `${r.support} of ${r.of} pairs${ce.length ? `; counterexample${ce.length > 1 ? 's' : ''} ${ce.join(', ')}` : ''}`;
}
