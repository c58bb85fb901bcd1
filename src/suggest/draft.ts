import { evidence, type Rule } from './rule';

/**
 * The draft translator module (TypeScript) for the rules, each with its evidence as a
 * comment; findings no translator can fix are listed at the end.
 *
 * @example
 * renderDraft(rules, { route: 'product', name: 'product-suggested', importFrom: 'tandem', exchanges: 90 });
 */
export function renderDraft(rules: readonly Rule[], o: { route: string; name: string; importFrom: string; exchanges: number }): string {
  const of = (k: Rule['kind']) => rules.filter((r) => r.kind === k);
  const used = new Set<string>(['defineTranslator']);
  const use = (...names: string[]) => names.forEach((n) => used.add(n));
  const c = (r: Rule) => `// ${r.text} (${evidence(r)})`;
  const request: string[] = [];
  const paths = of('path');
  if (paths.length) {
    use('mapPath');
    request.push(
      ...paths.map(c),
      `mapPath({ ${paths.map((r) => `${q(r.data.from)}: ${q(r.data.to)}`).join(', ')} }, { otherwise: 'keep' }),`,
    );
  }
  const renames = of('query_rename');
  const drops = of('query_drop');
  const encodings = [...of('paging'), ...of('sort')];
  if (renames.length || drops.length || encodings.length) {
    use('mapRequestQuery');
    const steps: string[] = [];
    for (const r of of('paging'))
      (use('convertPaging'), steps.push(c(r), `convertPaging(${JSON.stringify(r.data.from)}, ${JSON.stringify(r.data.to)}),`));
    for (const r of of('sort')) {
      const fn = r.data.combine ? 'combineSort' : 'splitSort';
      (use(fn), steps.push(c(r), `${fn}({ field: ${q(r.data.field)}, order: ${q(r.data.order)}, into: ${q(r.data.into)} }),`));
    }
    if (renames.length)
      (use('renameParams'),
        steps.push(...renames.map(c), `renameParams({ ${renames.map((r) => `${q(r.data.from)}: ${q(r.data.to)}`).join(', ')} }),`));
    if (drops.length) (use('dropParams'), steps.push(...drops.map(c), `dropParams(${drops.map((r) => q(r.data.name)).join(', ')}),`));
    request.push('mapRequestQuery(', ...indent(steps), '),');
  }
  const success: string[] = [];
  for (const r of of('envelope'))
    (use('unwrapEnvelope'),
      success.push(c(r), `unwrapEnvelope({ items: ${q(r.data.items)}${r.data.total ? `, total: ${q(r.data.total)}` : ''} }),`));
  const keys: string[] = [];
  const fieldRenames = of('rename');
  if (fieldRenames.length)
    keys.push('rename: {', ...indent(fieldRenames.flatMap((r) => [c(r), `${q(r.data.from)}: ${q(r.data.to)},`])), '},');
  const fieldDrops = of('drop');
  if (fieldDrops.length) keys.push('drop: [', ...indent(fieldDrops.flatMap((r) => [c(r), `${q(r.data.name)},`])), '],');
  const coerce = of('coerce');
  if (coerce.length) keys.push('coerce: {', ...indent(coerce.flatMap((r) => [c(r), `${q(r.data.name)}: ${coercion(r, use)},`])), '},');
  const recordSteps: string[] = [];
  // Moves first, from the candidate's paths: the renames and drops below then see the legacy shape.
  const moves = of('move');
  if (moves.length)
    (use('mapKeys'),
      recordSteps.push(
        'mapKeys({',
        ...indent(['move: {', ...indent(moves.flatMap((r) => [c(r), `${q(r.data.from)}: ${q(r.data.to)},`])), '},']),
        '}),',
      ));
  if (keys.length) (use('mapKeys'), recordSteps.push('mapKeys({', ...indent(keys), '}),'));
  for (const r of of('join'))
    (use('joinFields'), recordSteps.push(c(r), `joinFields([${(r.data.from as string[]).map(q).join(', ')}], ${q(r.data.to)}),`));
  if (recordSteps.length) (use('mapBody', 'eachRecord', 'pipe'), success.push('mapBody(eachRecord(pipe(', ...indent(recordSteps), '))),'));
  const response: string[] = [];
  if (success.length) (use('onSuccess'), response.push('onSuccess(', ...indent(success), '),'));
  const errors = of('error_body');
  if (errors.length)
    (use('mapErrors'),
      response.push('mapErrors({', ...indent(errors.flatMap((r) => [c(r), `${r.data.status}: ${JSON.stringify(r.data.body)},`])), '}),'));
  const body: string[] = [`name: ${q(o.name)},`];
  if (request.length) (use('pipe'), body.push('request: pipe(', ...indent(request), '),'));
  if (response.length) (use('pipe'), body.push('response: pipe(', ...indent(response), '),'));
  const notes = [...of('missing'), ...of('reorder')].map((r) =>
    r.kind === 'reorder'
      ? `// Compare rule, not a translation: ${r.text}: add arrayKeys: { <list path>: ${q(r.data.key)} } to the route's rules (${evidence(r)})`
      : `// Not translatable: ${r.text} (${evidence(r)})`,
  );
  return [
    `// Draft translator for route ${q(o.route)}, suggested by \`tandem suggest\` from ${o.exchanges} exchanges.`,
    '// Review every rule before use: each says how many pairs support it, and shows counterexamples.',
    `import { ${[...used].sort().join(', ')} } from ${q(o.importFrom)};`,
    '',
    'export default defineTranslator({',
    ...indent(body),
    '});',
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
}

function coercion(r: Rule, use: (...n: string[]) => void): string {
  if (r.data.detail === 'string to number') {
    if (typeof r.data.fixed === 'number') return `(v: unknown) => (typeof v === 'number' ? v.toFixed(${r.data.fixed}) : v)`;
    use('toStringValue');
    return 'toStringValue';
  }
  if (r.data.detail === 'number to string') return (use('toNumberValue'), 'toNumberValue');
  if (r.data.detail === 'boolean to string') return (use('toBooleanValue'), 'toBooleanValue');
  return (use('toStringValue'), 'toStringValue');
}

const q = (v: unknown) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
