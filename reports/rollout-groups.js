// The customer groups section of the rollout page: members of each group, create, delete.
// `ctx`: { api, say(message, kind, retry), change(method, path, payload, what) } of
// renderRollout (reports/rollout.js): `change` sends and re-renders the page.
import { customerNotice, el, enc } from './rollout-dom.js';

export function groupsSection(groups, customerWarning, { change }) {
  const rows = Object.entries(groups).map(([g, members]) => {
    const input = el('input', { type: 'text', size: 60, value: members.join(', ') });
    const members2 = () =>
      input.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return el(
      'tr',
      { 'data-group': g },
      el('td', {}, g),
      el('td', {}, input),
      el(
        'td',
        { class: 'actions' },
        el(
          'button',
          { type: 'button', onclick: () => change('PUT', `/rollout/groups/${enc(g)}`, { customers: members2() }, `group ${g}`) },
          'Save',
        ),
        el('button', { type: 'button', onclick: () => change('DELETE', `/rollout/groups/${enc(g)}`, undefined, `group ${g}`) }, 'Delete'),
      ),
    );
  });
  const name = el('input', { type: 'text', name: 'groupName', placeholder: 'group name', maxlength: 64 });
  const members = el('input', { type: 'text', name: 'groupMembers', placeholder: 'customer ids, comma-separated', size: 60 });
  const create = () =>
    name.value.trim() &&
    change(
      'PUT',
      `/rollout/groups/${enc(name.value.trim())}`,
      {
        customers: members.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      },
      `group ${name.value.trim()}`,
    );
  return el(
    'section',
    { class: 'rollout-groups' },
    el('h2', {}, 'Customer groups'),
    customerNotice(customerWarning),
    el('table', {}, el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { class: 'muted' }, 'no groups')))),
    el('div', { class: 'toolbar' }, name, members, el('button', { type: 'button', class: 'add-group', onclick: create }, 'Create group')),
  );
}
