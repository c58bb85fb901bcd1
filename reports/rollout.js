// The rollout page of the web report: per route, its phase, percentage and sample rate,
// per-customer and per-group overrides, readiness figures; the groups; the audit log.
// Everything from the server is inserted as text (textContent / attributes), never as HTML.
//
// renderRollout(container, api): `api.get(path)` resolves to parsed JSON, `api.send(method,
// path, body)` sends JSON (with the CSRF header) and rejects with an error carrying
// `status` and `body` on a non-2xx answer. Paths are relative to the report API root.

const PHASES = ['legacy', 'shadow', 'candidate', 'candidate-only'];
const enc = encodeURIComponent;

/** el('td', { class: 'n' }, 'text', child): an element; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value') node.value = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function phaseSelect(value, attrs = {}) {
  return el(
    'select',
    attrs,
    PHASES.map((p) => el('option', { value: p, selected: p === value }, p)),
  );
}

const show = (v) => (v === null || v === undefined ? '(none)' : JSON.stringify(v));

/** Render the rollout page into `container`; re-renders itself after each change. */
export async function renderRollout(container, api) {
  const status = el('div', { class: 'rollout-status', role: 'status' });
  const body = el('div', { class: 'rollout-body' });
  container.replaceChildren(
    el('h1', {}, 'Rollout'),
    el(
      'p',
      { class: 'muted' },
      'Precedence: customer override, then group, then percentage (customers by hash get candidate), then the route phase. ',
      'Anonymous requests follow the route phase.',
    ),
    status,
    body,
  );

  function say(message, kind = 'info', retry) {
    status.replaceChildren(
      el(
        'div',
        { class: `notice ${kind}` },
        message,
        retry ? ' ' : '',
        retry ? el('button', { type: 'button', class: 'force', onclick: retry }, 'Apply anyway (force)') : '',
      ),
    );
  }

  /** Send a change; a readiness refusal offers to retry with force. */
  async function change(method, path, payload, what) {
    try {
      const out = await api.send(method, path, payload);
      // A change that can never apply (no customer identification) is done, and says so.
      if (out?.warning) say(`${what}: done. Warning: ${out.warning}`, 'warn');
      else say(`${what}: done`, 'info');
      await load();
    } catch (e) {
      const b = e.body ?? {};
      if (b.error === 'not_ready')
        return say((b.message ?? 'not ready').replace(/; send "force": true to override$/, '.'), 'warn', () =>
          change(method, path, { ...payload, force: true }, `${what} (forced)`),
        );
      say(`${what}: ${b.message ?? e.message ?? String(e)}`, 'error');
    }
  }

  /** The warning shown where overrides and groups are edited while no customer is identified (the API's text). */
  const customerNotice = (text) => (text ? el('p', { class: 'notice warn customer-warning' }, `Warning: ${text}`) : '');

  function routeSection(name, r, groups, customerWarning) {
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
        el(
          'tbody',
          {},
          customerRows.length ? customerRows : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no customer overrides')),
        ),
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

  function groupsSection(groups, customerWarning) {
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

  function auditSection(entries) {
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

  async function load() {
    try {
      const [state, audit] = await Promise.all([api.get('/rollout'), api.get('/rollout/audit?limit=50')]);
      const routes = Object.entries(state.routes);
      body.replaceChildren(
        el('p', { class: 'muted small' }, `version ${state.version}`),
        ...(routes.length
          ? routes.map(([name, r]) => routeSection(name, r, state.groups, state.customerWarning))
          : [el('p', { class: 'muted' }, 'no configured routes')]),
        groupsSection(state.groups, state.customerWarning),
        auditSection(audit.entries),
      );
    } catch (e) {
      body.replaceChildren(el('div', { class: 'error' }, `Could not load the rollout: ${e.body?.message ?? e.message ?? String(e)}`));
    }
  }

  await load();
}
