// The sign-in form: the report token is exchanged for an HttpOnly session cookie.
import { h, mount } from './dom.js';

export function renderSignIn(container, base, message, done) {
  const input = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    autocomplete: 'current-password',
    required: true,
    autofocus: true,
  });
  const status = h('p', { class: 'signin-status', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    { class: 'signin', id: 'signin' },
    h('h1', {}, 'Sign in to the Tandem report'),
    h('label', { for: 'token' }, 'Report token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    status,
    h('p', { class: 'hint' }, 'The token is in report.token of the config (or TANDEM_REPORT_TOKEN); Tandem logs a generated one at start.'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = 'Signing in…';
    const res = await fetch(`${base}/session`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: input.value }),
    }).catch((e) => ({ ok: false, status: 0, json: async () => ({ message: e.message }) }));
    if (res.ok) return done();
    const body = await res.json().catch(() => ({}));
    status.textContent =
      res.status === 429
        ? `Too many attempts: ${body.message ?? 'wait a minute'}`
        : res.status === 401
          ? 'Wrong token.'
          : `Sign-in failed: ${body.message ?? res.status}`;
    input.select();
  });
  mount(container, form);
  input.focus();
}
