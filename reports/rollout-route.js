// One route's section of the rollout page: phase, percentage and sample rate, readiness,
// customer and group overrides.
// `ctx`: { api, say(message, kind, retry), change(method, path, payload, what) } of
// renderRollout (reports/rollout.js): `change` sends and re-renders the page.
import { customerNotice, el, enc, phaseSelect } from './rollout-dom.js';

export function routeSection(name, r, groups, customerWarning, { api, say, change }) {
  const phase = phaseSelect(r.phase, { name: 'phase' });
  const percentage = el('input', { type: 'number', name: 'percentage', min: 0, max: 100, step: 1, value: r.percentage });
  const sample = el('input', { type: 'number', name: 'sampleRate', min: 0, max: 1, step: 0.01, value: r.sampleRate ?? 1 });
  const readiness = el('span', { class: 'readiness muted' }, 'readiness…');
  api.get(`/rollout/readiness/${enc(name)}`).then(
    (x) =>
      readiness.replaceChildren(
        // The server's sentence (describedReadiness): the figures of what was compared, and what is short.
        x.summary,
      ),
    () => readiness.replaceChildren('readiness unavailable'),
  );
  const save = () => {
    const changed = {};
    if (phase.value !== r.phase) changed.phase = phase.value;
    if (Number(percentage.value) !== r.percentage) changed.percentage = Number(percentage.value);
    if (Number(sample.value) !== r.sampleRate) changed.sampleRate = Number(sample.value);
    if (!Object.keys(changed).length) return say(`route ${name}: nothing changed`, 'info');
    return change('PUT', `/rollout/routes/${enc(name)}`, changed, `route ${name}`);
  };

  const customerRows = Object.entries(r.customers).map(([c, p]) => {
    const sel = phaseSelect(p);
    return el(
      'tr',
      { 'data-customer': c },
      el('td', {}, c),
      el('td', {}, sel),
      el(
        'td',
        { class: 'actions' },
        el(
          'button',
          {
            type: 'button',
            onclick: () => change('PUT', `/rollout/routes/${enc(name)}/customers/${enc(c)}`, { phase: sel.value }, `customer ${c}`),
          },
          'Save',
        ),
        el(
          'button',
          {
            type: 'button',
            onclick: () => change('DELETE', `/rollout/routes/${enc(name)}/customers/${enc(c)}`, undefined, `customer ${c}`),
          },
          'Remove',
        ),
      ),
    );
  });
  const newCustomer = el('input', { type: 'text', name: 'customer', placeholder: 'customer id', maxlength: 128 });
  const newPhase = phaseSelect('candidate', { name: 'customerPhase' });
  const addCustomer = () =>
    newCustomer.value.trim() &&
    change(
      'PUT',
      `/rollout/routes/${enc(name)}/customers/${enc(newCustomer.value.trim())}`,
      { phase: newPhase.value },
      `customer ${newCustomer.value.trim()}`,
    );

  const groupRows = Object.entries(r.groups).map(([g, p]) =>
    el(
      'tr',
      { 'data-group': g },
      el('td', {}, g),
      el('td', {}, p),
      el(
        'td',
        { class: 'actions' },
        el(
          'button',
          { type: 'button', onclick: () => change('DELETE', `/rollout/routes/${enc(name)}/groups/${enc(g)}`, undefined, `group ${g}`) },
          'Remove',
        ),
      ),
    ),
  );
  const groupPick = el(
    'select',
    { name: 'group' },
    Object.keys(groups).map((g) => el('option', { value: g }, g)),
  );
  const groupPhase = phaseSelect('candidate', { name: 'groupPhase' });

  return el(
    'section',
    { class: 'rollout-route', 'data-route': name },
    el('h2', {}, name),
    el(
      'div',
      { class: 'toolbar' },
      el('label', {}, 'phase ', phase),
      el('label', {}, ' percentage ', percentage),
      el('label', {}, ' sample rate ', sample),
      el('button', { type: 'button', class: 'save-route', onclick: save }, 'Save'),
      ' ',
      readiness,
    ),
    el('h3', {}, 'Customers'),
    customerNotice(customerWarning),
    el(
      'table',
      { class: 'customers' },
      el('tbody', {}, customerRows.length ? customerRows : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no customer overrides'))),
    ),
    el(
      'div',
      { class: 'toolbar' },
      newCustomer,
      newPhase,
      el('button', { type: 'button', class: 'add-customer', onclick: addCustomer }, 'Add override'),
    ),
    el('h3', {}, 'Groups'),
    el(
      'table',
      { class: 'groups' },
      el('tbody', {}, groupRows.length ? groupRows : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no group overrides'))),
    ),
    Object.keys(groups).length
      ? el(
          'div',
          { class: 'toolbar' },
          groupPick,
          groupPhase,
          el(
            'button',
            {
              type: 'button',
              onclick: () =>
                change(
                  'PUT',
                  `/rollout/routes/${enc(name)}/groups/${enc(groupPick.value)}`,
                  { phase: groupPhase.value },
                  `group ${groupPick.value}`,
                ),
            },
            'Set group phase',
          ),
        )
      : el('p', { class: 'muted small' }, 'create a group below to give it a phase'),
  );
}
