// Overview: every route worst first, with counters, match rate and a per-minute trend; live refresh.
import { h, mount, num, pager, rateCell } from './dom.js';
import { ERROR_CLASSES } from './figures.js';
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
  const sortSel = h(
    'select',
    { id: 'sort', onchange: (e) => nav({ sort: e.target.value, offset: 0 }) },
    Object.entries(SORTS).map(([v, label]) => h('option', { value: v, selected: v === sort }, label)),
  );
  const updated = h('span', { class: 'muted', id: 'updated' });
  mount(
    container,
    h('h1', {}, 'Routes'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'Find ', search),
      h('label', {}, 'Sort ', sortSel),
      h('label', {}, live, ' live refresh'),
      updated,
    ),
    lag,
    table,
  );

  async function load() {
    const qs = new URLSearchParams({ offset, limit: PAGE, sort, trend: 60 });
    if (q) qs.set('q', q);
    const [data, lagInfo] = await Promise.all([api.get(`/routes?${qs}`), api.get('/lag').catch(() => null)]);
    showLag(lag, lagInfo);
    mount(
      table,
      routesTable(data.routes),
      pager(data.total, offset, PAGE, (o) => nav({ offset: o })),
    );
    updated.textContent = ` updated ${new Date().toLocaleTimeString()}`;
  }
  await load();
  const timer = setInterval(() => {
    if (live.checked && !document.hidden) load().catch((e) => (updated.textContent = ` refresh failed: ${e.message}`));
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

/** The API's own lag sentence (`GET /lag` `message`, as the CLI and the metrics word it); none when complete. */
function showLag(box, info) {
  if (!info?.message || info.complete) return void box.replaceChildren();
  mount(box, h('p', { class: 'notice warn', id: 'lag-banner' }, info.message));
}

/** The error classes (the server's ERROR_CLASSES, written into figures.js): compared, no verdict, each counting against the match rate. */
export { ERROR_CLASSES };

function routesTable(routes) {
  const head = [
    'Route',
    'Phase and exposure',
    'Ready',
    'Seen',
    'Shadowed',
    'Compared',
    'Match rate',
    'Mismatches',
    'Errors',
    'Noise',
    'Dropped',
    'Last 60 min',
  ];
  return h(
    'table',
    { class: 'routes', id: 'routes' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, routes.length ? routes.map(routeRow) : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'No routes yet.'))),
  );
}

/** The phase in force, the share of customers moved by percentage, overrides, and what the candidate really served. */
function exposureCell(r) {
  const e = r.exposure;
  if (!e) return h('td', { class: 'phase' }, r.phase);
  const lines = [h('strong', {}, e.phase)];
  if (e.percentage > 0 && e.phase !== 'candidate' && e.phase !== 'candidate-only')
    lines.push(` + ${e.percentage}% of customers on candidate`);
  const overrides = [];
  if (e.customerOverrides) overrides.push(`${num(e.customerOverrides)} customer override${e.customerOverrides === 1 ? '' : 's'}`);
  if (e.groupOverrides) overrides.push(`${num(e.groupOverrides)} group override${e.groupOverrides === 1 ? '' : 's'}`);
  if (overrides.length)
    lines.push(
      h('div', { class: 'small' }, overrides.join(', '), e.overridesOnCandidate ? ` (${num(e.overridesOnCandidate)} on candidate)` : ''),
    );
  if (e.servedByCandidate || e.fellBack || e.candidateFailed) {
    lines.push(
      h(
        'div',
        { class: 'small served' },
        `candidate served ${num(e.servedByCandidate)}`,
        e.fellBack ? h('span', { class: 'warn-text' }, `, fell back ${num(e.fellBack)}`) : '',
        e.candidateFailed ? h('span', { class: 'bad-text' }, `, failed ${num(e.candidateFailed)}`) : '',
      ),
    );
  }
  return h('td', { class: 'phase' }, lines);
}

/** The readiness guard's own verdict (threshold, window and minimum of the rollout config). */
function readyCell(r) {
  const g = r.readiness;
  if (!g) return h('td', { class: 'ready muted' }, '–');
  // A route that can never be compared (a write route without mirrorWrites) is not short of volume: say why.
  if (g.notCompared)
    return h('td', { class: 'ready muted', title: g.notCompared }, 'never compared', h('div', { class: 'small muted' }, g.notCompared));
  // The server's words (describedReadiness): what is short, then the figures, never a figure worked out here.
  const why = [...(g.shortfalls ?? []), g.figures].filter(Boolean).join('; ');
  return h(
    'td',
    { class: `ready ${g.ready ? 'good' : 'not'}`, title: g.summary ?? why },
    g.ready ? 'ready' : 'not ready',
    h('div', { class: 'small muted' }, why),
  );
}

/** Errors in red, linking to the list of the most frequent error class. */
function errorsCell(r) {
  if (!r.errors) return h('td', { class: 'n' }, '0');
  const c = r.counters ?? {};
  const worst = ERROR_CLASSES.reduce((a, b) => ((c[b] ?? 0) > (c[a] ?? 0) ? b : a));
  const parts = ERROR_CLASSES.filter((k) => c[k])
    .map((k) => `${num(c[k])} ${k}`)
    .join(', ');
  return h(
    'td',
    { class: 'n errors bad-text', title: parts },
    h('a', { href: link('route', r.name, { class: worst }), class: 'errors-link' }, num(r.errors)),
  );
}

function routeRow(r) {
  return h(
    'tr',
    { dataset: { route: r.name } },
    h('td', {}, h('a', { href: link('route', r.name), class: 'route-link' }, r.name), h('div', { class: 'muted small' }, r.match)),
    exposureCell(r),
    readyCell(r),
    h('td', { class: 'n' }, num(r.seen)),
    h(
      'td',
      { class: 'n shadowed' },
      num(r.shadowed),
      r.untranslated
        ? h(
            'div',
            { class: 'small warn-text', title: 'request translator failed: never sent to the candidate, compared as translation_error' },
            `+${num(r.untranslated)} untranslated`,
          )
        : null,
    ),
    h('td', { class: 'n' }, num(r.compared)),
    rateCell(r.matchRate, r.matchRateMeetsThreshold),
    h('td', { class: 'n mismatches' }, r.mismatch ? h('a', { href: link('route', r.name) }, num(r.mismatch)) : '0'),
    errorsCell(r),
    h('td', { class: 'n' }, num(r.noise)),
    h('td', { class: 'n' }, num(r.dropped)),
    h('td', {}, sparkline(r.trend)),
  );
}
