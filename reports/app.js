// The report page: sign-in, then one view per hash route. Views are render(container, api, arg, params)
// and may return a cleanup function (timers).
import { createApi } from './api.js';
import { errorBox, h, mount, notify } from './dom.js';
import { parseHash } from './router.js';
import { renderSignIn } from './signin.js';
import { renderOverview } from './view-overview.js';
import { renderRoute } from './view-route.js';
import { renderMismatch } from './view-mismatch.js';
import { renderCustomers } from './view-customers.js';
import { renderRolloutView } from './view-rollout.js';

const VIEWS = {
  overview: renderOverview,
  route: renderRoute,
  mismatch: renderMismatch,
  exchange: renderMismatch,
  customers: renderCustomers,
  rollout: renderRolloutView,
};

const base = `${location.pathname.replace(/\/+$/, '')}/api`;
const main = document.getElementById('view');
const nav = document.getElementById('nav');
let signedIn = false;
let cleanup = null;
let lastPlace = '';

const api = createApi(base, () => {
  if (!signedIn) return;
  signedIn = false;
  showSignIn('Your session has ended; sign in again.');
});

function showSignIn(message) {
  nav.hidden = true;
  cleanup?.();
  cleanup = null;
  renderSignIn(main, base, message, () => {
    signedIn = true;
    render();
  });
}

async function render() {
  cleanup?.();
  cleanup = null;
  if (!signedIn) {
    try {
      await api.get('/session');
      signedIn = true;
    } catch (e) {
      if (e.status === 401) return showSignIn();
      return void mount(main, errorBox(e));
    }
  }
  const { view, arg, params } = parseHash();
  const place = `${view}/${arg}`;
  if (place !== lastPlace) document.getElementById('notice').replaceChildren();
  lastPlace = place;
  nav.hidden = false;
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.view === view);
  const root = h('div', { class: `view view-${view}` });
  mount(main, root);
  const renderer = VIEWS[view];
  if (!renderer) return void mount(root, h('p', {}, 'No such page. '), h('a', { href: '#/' }, 'Back to the overview'));
  try {
    const stop = await renderer(root, api, arg, params);
    if (typeof stop === 'function') {
      if (root.isConnected) cleanup = stop;
      else stop();
    }
  } catch (e) {
    if (e.status !== 401) mount(root, errorBox(e));
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api.send('DELETE', '/session');
  } catch (e) {
    notify(`Sign-out failed: ${e.message}`, 'error');
    return;
  }
  signedIn = false;
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', render);
render();
