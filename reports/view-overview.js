// Overview: every route worst first, with counters, match rate and a per-minute trend; live refresh.
import { h, mount, num, pager, rateCell } from './dom.js';
import { go, link } from './router.js';
import { sparkline } from './sparkline.js';

const PAGE = 50;
const REFRESH_MS = 5000;
const SORTS = { worst: 'worst first', mismatches: 'most mismatches', errors: 'most errors', seen: 'most traffic', name: 'name' };

export async function renderOverview(container, api, _arg, params) {
  const offset = Number(params.get('offset') ?? 0) || 0;
  const sort = params.get('sort') ?? 'worst';
  const q = params.get('q') ?? '';
  const nav = (p) => go('overview', '', { sort, q, offset, ...p });

  const lag = h('div', { class: 'lag', id: 'lag' });
  const table = h('div', { class: 'table-wrap' });
  const live = h('input', { type: 'checkbox', id: 'live', checked: params.get('live') !== '0' });
  const search = h('input', { type: 'search', id: 'route-search', placeholder: 'route name', value: q });
  search.addEventListener('change', () => nav({ q: search.value, offset: 0 }));
  const sortSel = h('select', { id: 'sort', onchange: (e) => nav({ sort: e.target.value, offset: 0 }) },
    Object.entries(SORTS).map(([v, label]) => h('option', { value: v, selected: v === sort }, label)));
  const updated = h('span', { class: 'muted', id: 'updated' });
  mount(
    container,
    h('h1', {}, 'Routes'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Find ', search), h('label', {}, 'Sort ', sortSel), h('label', {}, live, ' live refresh'), updated),
    lag,
    table,
  );

  async function load() {
    const qs = new URLSearchParams({ offset, limit: PAGE, sort, trend: 60 });
    if (q) qs.set('q', q);
    const [data, lagInfo] = await Promise.all([api.get(`/routes?${qs}`), api.get('/lag').catch(() => null)]);
    showLag(lag, lagInfo);
    mount(table, routesTable(data.routes), pager(data.total, offset, PAGE, (o) => nav({ offset: o })));
    updated.textContent = ` updated ${new Date().toLocaleTimeString()}`;
  }
  await load();
  const timer = setInterval(() => {
    if (live.checked && !document.hidden) load().catch((e) => (updated.textContent = ` refresh failed: ${e.message}`));
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

function showLag(box, info) {
  const seconds = info?.lagSeconds ?? info?.oldestAgeSeconds;
  if (!info || (!seconds && !info.waiting)) return void box.replaceChildren();
  mount(box, h('p', { class: 'notice warn' }, `Results are ${Math.round(seconds ?? 0)} seconds behind (${num(info.waiting)} exchanges waiting to be compared).`));
}

function routesTable(routes) {
  const head = ['Route', 'Phase', 'Seen', 'Shadowed', 'Compared', 'Match rate', 'Mismatches', 'Errors', 'Noise', 'Dropped', 'Last 60 min'];
  return h(
    'table',
    { class: 'routes', id: 'routes' },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      routes.length ? routes.map(routeRow) : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'No routes yet.')),
    ),
  );
}

function routeRow(r) {
  return h(
    'tr',
    { dataset: { route: r.name } },
    h('td', {}, h('a', { href: link('route', r.name), class: 'route-link' }, r.name), h('div', { class: 'muted small' }, r.match)),
    h('td', {}, r.phase),
    h('td', { class: 'n' }, num(r.seen)),
    h('td', { class: 'n' }, num(r.shadowed)),
    h('td', { class: 'n' }, num(r.compared)),
    rateCell(r.matchRate),
    h('td', { class: 'n mismatches' }, r.mismatches ? h('a', { href: link('route', r.name) }, num(r.mismatches)) : '0'),
    h('td', { class: 'n' }, num(r.errors)),
    h('td', { class: 'n' }, num(r.noise)),
    h('td', { class: 'n' }, num(r.dropped)),
    h('td', {}, sparkline(r.trend)),
  );
}
