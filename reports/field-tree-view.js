// The field tree: per field path how often it differs and how often it is noise, with rule actions;
// a path opens the mismatches where it differs; ignored paths are listed with "unignore".
import { h, mount, num, pct, when } from './dom.js';
import { link } from './router.js';

/**
 * fieldTreeTable({ tree, compared }, rules, act) → table. `rules` = { available, ignore: Set, noise: Set };
 * act(kind, path) with kind 'ignore' | 'unignore' | 'noise' | 'unnoise'.
 */
export function fieldTreeTable(fields, rules, act, examples = null) {
  const rows = [];
  const walk = (nodes, depth) => {
    for (const n of nodes) {
      const detail = h('tr', { class: 'field-examples', hidden: true }, h('td', { colspan: 5 }));
      rows.push(row(n, depth, fields.compared, rules, act, examples && (() => toggleExamples(detail, n.path, examples))), detail);
      walk(n.children, depth + 1);
    }
  };
  walk(fields.tree, 0);
  return h(
    'table',
    { class: 'fields', id: 'fields' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Field path', 'Differs', 'Of compared', 'Noise', 'Rules'].map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No field has differed.'))),
  );
}

/** Show (or hide) the mismatches where a field differs, with sample values and kinds. */
async function toggleExamples(detail, path, examples) {
  if (!detail.hidden) return void (detail.hidden = true);
  detail.hidden = false;
  const cell = detail.firstChild;
  mount(cell, h('span', { class: 'muted' }, 'Loading…'));
  try {
    const out = await examples(path);
    const show = (v) => (v === undefined ? '' : JSON.stringify(v));
    mount(
      cell,
      h('p', { class: 'small muted' }, `${num(out.total)} mismatches in signatures with ${path}; the newest ${out.items.length}:`),
      h(
        'table',
        { class: 'examples' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['When', 'Customer', 'Request', 'Path', 'Kind', 'Legacy', 'Candidate'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          out.items.flatMap((m) =>
            m.differences.map((d, i) =>
              h(
                'tr',
                {},
                h('td', {}, i ? '' : h('a', { href: link('mismatch', m.id) }, when(m.at))),
                h('td', {}, i ? '' : m.customer),
                h('td', {}, i ? '' : h('code', {}, m.requestLine)),
                h('td', {}, h('code', {}, d.path)),
                h('td', {}, d.kind),
                h('td', { class: 'del' }, h('code', {}, show(d.legacy))),
                h('td', { class: 'ins' }, h('code', {}, show(d.candidate))),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (e) {
    mount(cell, h('span', { class: 'bad-text' }, `Could not load the mismatches: ${e.message}`));
  }
}

function row(n, depth, compared, rules, act, openExamples) {
  const own = n.differs || n.noise;
  const ignored = rules.ignore.has(n.path);
  const noise = rules.noise.has(n.path);
  const button = (label, kind, title, path = n.path) =>
    h(
      'button',
      {
        type: 'button',
        class: `small act-${kind}`,
        disabled: !rules.available,
        title: rules.available ? title : 'compare rules are not available on this server',
        onclick: () => act(kind, path),
      },
      label,
    );
  return h(
    'tr',
    { dataset: { path: n.path }, class: own ? '' : 'group' },
    h(
      'td',
      { class: `indent d${Math.min(depth, 8)}` },
      openExamples && n.totalDiffers
        ? h(
            'button',
            { type: 'button', class: 'link field-path', title: 'list the mismatches where this field differs', onclick: openExamples },
            h('code', {}, depth ? n.label : n.path),
          )
        : h('code', {}, depth ? n.label : n.path),
      depth ? h('span', { class: 'muted small' }, `  ${n.path}`) : null,
      ignored ? h('span', { class: 'badge' }, 'ignored') : null,
      noise ? h('span', { class: 'badge' }, 'noise') : null,
    ),
    h('td', { class: 'n differs' }, num(n.totalDiffers)),
    h('td', { class: 'n' }, pct(n.share)),
    h('td', { class: 'n noise' }, num(n.totalNoise)),
    h(
      'td',
      { class: 'actions' },
      ignored
        ? button('unignore', 'unignore', 'compare this path again')
        : button('ignore', 'ignore', 'stop comparing this path on this route'),
      noise ? button('not noise', 'unnoise', 'count this path again') : button('mark noise', 'noise', 'treat differences here as noise'),
      ...arrayButtons(n, rules, button),
    ),
  );
}

/** On an array's element node (`items[*]`): compare the array unordered, or match its elements by a key. */
function arrayButtons(n, rules, button) {
  if (!rules.unorderedAvailable || !/\[\*\]$/.test(n.path)) return [];
  const array = n.path.slice(0, -3);
  const b = (label, kind, title) => {
    const el = button(label, kind, title, array);
    el.dataset.array = array;
    return el;
  };
  return [
    rules.unordered.has(array)
      ? b('compare in order', 'ordered', 'compare this array position by position again')
      : b('compare unordered', 'unordered', 'compare this array as a multiset: order ignored'),
    rules.arrayKeys[array]
      ? b(`unmatch key ${rules.arrayKeys[array]}`, 'unkey', 'compare elements by position again')
      : b('match by key…', 'arrayKey', "match this array's elements by a key field (e.g. id)"),
  ];
}

/**
 * The ignore rules in force on the route: those added in the report (with "unignore"),
 * and those of the config (change the config to remove them). An ignored path is no
 * longer compared, so it leaves the field tree: this list is where it can be undone.
 */
export function ignoredList(rules, configured, act) {
  const runtime = [...rules.ignore];
  const fromConfig = configured?.ignore ?? [];
  const undo = (kind, p, label) =>
    h('button', { type: 'button', class: `small act-${kind}`, disabled: !rules.available, onclick: () => act(kind, p) }, label);
  const shape = [
    ...[...(rules.unordered ?? [])].map((p) =>
      h('li', { dataset: { unordered: p } }, h('code', {}, p), ' compared unordered ', undo('ordered', p, 'compare in order')),
    ),
    ...Object.entries(rules.arrayKeys ?? {}).map(([p, k]) =>
      h(
        'li',
        { dataset: { arrayKey: p } },
        h('code', {}, `${p}[${k}=…]`),
        ' elements matched by ',
        h('code', {}, k),
        ' ',
        undo('unkey', p, 'unmatch'),
      ),
    ),
  ];
  if (!runtime.length && !fromConfig.length && !shape.length) return null;
  return h(
    'div',
    { class: 'ignored', id: 'ignored' },
    runtime.length || fromConfig.length
      ? [
          h('h3', {}, 'Ignored paths (not compared)'),
          h(
            'ul',
            {},
            runtime.map((p) => h('li', { dataset: { path: p } }, h('code', {}, p), ' ', undo('unignore', p, 'unignore'))),
            fromConfig.map((p) => h('li', {}, h('code', {}, p), h('span', { class: 'muted small' }, ' (in the config file)'))),
          ),
        ]
      : null,
    shape.length ? [h('h3', {}, 'Arrays (rules added in the report)'), h('ul', { id: 'array-rules' }, shape)] : null,
  );
}

/** Noise suggestions from the rules API: { suggestions: [{path, rate, learned}], suspected: [{path, count, rate}] }. */
export function noiseSuggestions(noise, act) {
  const items = [...(noise?.suggestions ?? []), ...(noise?.suspected ?? [])];
  if (!items.length) return null;
  return h(
    'div',
    { class: 'suggestions' },
    h('h3', {}, 'Suspected noise'),
    h(
      'p',
      { class: 'hint' },
      'Values that look volatile (timestamps, ids, tokens) or that legacy changes between two identical requests. One click makes them noise (listed, never counted) or ignores them.',
    ),
    h(
      'ul',
      {},
      items.map((s) =>
        h(
          'li',
          { dataset: { path: s.path } },
          h('code', {}, s.path),
          ` differs in ${pct(s.rate)}${s.learned ? ' (learned)' : ''} `,
          h('button', { type: 'button', class: 'small act-noise', onclick: () => act('noise', s.path) }, 'mark noise'),
          ' ',
          h('button', { type: 'button', class: 'small act-ignore', onclick: () => act('ignore', s.path) }, 'ignore'),
        ),
      ),
    ),
  );
}
