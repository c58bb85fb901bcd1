// The field tree: per field path how often it differs and how often it is noise, with rule actions.
import { h, num, pct } from './dom.js';

/**
 * fieldTreeTable({ tree, compared }, rules, act) → table. `rules` = { available, ignore: Set, noise: Set };
 * act(kind, path) with kind 'ignore' | 'unignore' | 'noise' | 'unnoise'.
 */
export function fieldTreeTable(fields, rules, act) {
  const rows = [];
  const walk = (nodes, depth) => {
    for (const n of nodes) {
      rows.push(row(n, depth, fields.compared, rules, act));
      walk(n.children, depth + 1);
    }
  };
  walk(fields.tree, 0);
  return h(
    'table',
    { class: 'fields', id: 'fields' },
    h('thead', {}, h('tr', {}, ['Field path', 'Differs', 'Of compared', 'Noise', 'Rules'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No field has differed.'))),
  );
}

function row(n, depth, compared, rules, act) {
  const own = n.differs || n.noise;
  const ignored = rules.ignore.has(n.path);
  const noise = rules.noise.has(n.path);
  const button = (label, kind, title) =>
    h('button', { type: 'button', class: `small act-${kind}`, disabled: !rules.available, title: rules.available ? title : 'compare rules are not available on this server', onclick: () => act(kind, n.path) }, label);
  return h(
    'tr',
    { dataset: { path: n.path }, class: own ? '' : 'group' },
    h('td', { class: `indent d${Math.min(depth, 8)}` }, h('code', {}, depth ? n.label : n.path), depth ? h('span', { class: 'muted small' }, `  ${n.path}`) : null,
      ignored ? h('span', { class: 'badge' }, 'ignored') : null, noise ? h('span', { class: 'badge' }, 'noise') : null),
    h('td', { class: 'n differs' }, num(n.totalDiffers)),
    h('td', { class: 'n' }, compared ? pct(n.totalDiffers / compared) : '–'),
    h('td', { class: 'n noise' }, num(n.totalNoise)),
    h('td', { class: 'actions' },
      ignored ? button('unignore', 'unignore', 'compare this path again') : button('ignore', 'ignore', 'stop comparing this path on this route'),
      noise ? button('not noise', 'unnoise', 'count this path again') : button('mark noise', 'noise', 'treat differences here as noise')),
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
    h('ul', {}, items.map((s) => h('li', {}, h('code', {}, s.path), ` differs in ${pct(s.rate)}${s.learned ? ' (learned)' : ''} `,
      h('button', { type: 'button', class: 'small', onclick: () => act('noise', s.path) }, 'mark noise')))),
  );
}
