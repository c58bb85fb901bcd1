// The audit log section of the rollout page: the last changes, newest first.
import { el, show } from './rollout-dom.js';

export function auditSection(entries) {
  const head = el(
    'tr',
    {},
    ['when', 'who', 'what', 'target', 'previous', 'next', ''].map((h) => el('th', {}, h)),
  );
  const rows = entries.map((e) =>
    el(
      'tr',
      {},
      el('td', {}, new Date(e.at).toISOString()),
      el('td', {}, e.actor),
      el('td', {}, e.action),
      el('td', {}, e.target),
      el('td', {}, show(e.previous)),
      el('td', {}, show(e.next)),
      el('td', {}, e.forced ? 'forced' : ''),
    ),
  );
  return el(
    'section',
    { class: 'rollout-audit' },
    el('h2', {}, 'Audit log'),
    el(
      'table',
      { class: 'audit' },
      el('thead', {}, head),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'no changes yet'))),
    ),
  );
}
