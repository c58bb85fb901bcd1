// The rollout page of the web report: per route, its phase, percentage and sample rate,
// per-customer and per-group overrides, readiness figures; the groups; the audit log.
// Everything from the server is inserted as text (textContent / attributes), never as HTML.
//
// Its sections: rollout-route.js, rollout-groups.js, rollout-audit.js (helpers in rollout-dom.js).
//
// renderRollout(container, api): `api.get(path)` resolves to parsed JSON, `api.send(method,
// path, body)` sends JSON (with the CSRF header) and rejects with an error carrying
// `status` and `body` on a non-2xx answer. Paths are relative to the report API root.

import { el } from './rollout-dom.js';
import { auditSection } from './rollout-audit.js';
import { groupsSection } from './rollout-groups.js';
import { routeSection } from './rollout-route.js';

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

  const ctx = { api, say, change };

  async function load() {
    try {
      const [state, audit] = await Promise.all([api.get('/rollout'), api.get('/rollout/audit?limit=50')]);
      const routes = Object.entries(state.routes);
      body.replaceChildren(
        el('p', { class: 'muted small' }, `version ${state.version}`),
        ...(routes.length
          ? routes.map(([name, r]) => routeSection(name, r, state.groups, state.customerWarning, ctx))
          : [el('p', { class: 'muted' }, 'no configured routes')]),
        groupsSection(state.groups, state.customerWarning, ctx),
        auditSection(audit.entries),
      );
    } catch (e) {
      body.replaceChildren(el('div', { class: 'error' }, `Could not load the rollout: ${e.body?.message ?? e.message ?? String(e)}`));
    }
  }

  await load();
}
