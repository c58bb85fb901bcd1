// Route page: counters, field tree with rule actions, signatures, the filtered result list, export and rediff.
import { errorBox, h, mount, notify, num, pager, pct } from './dom.js';
import { fieldTreeTable, ignoredList, noiseSuggestions } from './field-tree-view.js';
import { filterQuery, filtersBar, filterValues } from './filters-bar.js';
import { causesTable, resultsTable, signaturesTable } from './lists-view.js';
import { go, link } from './router.js';
import { ERROR_CLASSES } from './view-overview.js';

const PAGE = 50;
/** Newest errors listed on the route page (each class links to its full list). */
const ERRORS_SHOWN = 20;
const RULE_CALLS = {
  ignore: ['POST', 'rules/ignore'],
  unignore: ['DELETE', 'rules/ignore'],
  noise: ['POST', 'noise'],
  unnoise: ['DELETE', 'noise'],
  unordered: ['POST', 'rules/unordered'],
  ordered: ['DELETE', 'rules/unordered'],
  arrayKey: ['POST', 'rules/array-key'],
  unkey: ['DELETE', 'rules/array-key'],
};

export async function renderRoute(container, api, route, params) {
  const r = encodeURIComponent(route);
  const values = filterValues(params);
  const offset = Number(params.get('offset') ?? 0) || 0;
  const query = filterQuery(values);
  // An unknown route is a clear page, not an empty one that looks like a quiet route.
  const summary = await api.get(`/routes/${r}/summary`).catch((e) => (e.status === 404 ? e : Promise.reject(e)));
  if (summary instanceof Error) {
    return void mount(
      container,
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Routes'), ' / ', route),
      h('h1', {}, 'No such route'),
      h('p', { class: 'error', id: 'unknown-route' }, summary.message),
      h('p', {}, h('a', { href: '#/' }, 'Back to the overview')),
    );
  }
  const c = summary?.counters ?? {};
  const errorClasses = ERROR_CLASSES.filter((k) => c[k]);
  const [fields, sigs, page, rules, noise, causes, errorPages] = await Promise.all([
    api.get(`/routes/${r}/fields`),
    api.get(`/routes/${r}/signatures?limit=100${values.risk ? `&risk=${values.risk}` : ''}`),
    api.get(`/routes/${r}/mismatches?${query}&offset=${offset}&limit=${PAGE}`).catch((e) => e),
    api.get(`/routes/${r}/rules`).catch(() => null),
    api.get(`/routes/${r}/noise`).catch(() => null),
    api.get(`/routes/${r}/causes?limit=100`).catch(() => null),
    Promise.all(errorClasses.map((k) => api.get(`/routes/${r}/mismatches?class=${k}&limit=${ERRORS_SHOWN}`).catch((e) => e))),
  ]);
  const ruleState = {
    available: rules !== null,
    ignore: new Set(rules?.ignore ?? rules?.runtime?.ignore ?? rules?.lists?.ignore ?? []),
    noise: new Set(rules?.noise ?? rules?.runtime?.noise ?? rules?.lists?.noise ?? []),
    unorderedAvailable: Array.isArray(rules?.unordered),
    unordered: new Set(rules?.unordered ?? []),
    arrayKeys: rules?.arrayKeys ?? {},
  };
  const act = async (kind, path) => {
    const [method, what] = RULE_CALLS[kind];
    const body = { path };
    if (kind === 'arrayKey') {
      const key = window.prompt(`Match the elements of ${path} by which field?`, 'id');
      if (!key) return;
      body.key = key.trim();
    }
    try {
      await api.send(method, `/routes/${r}/${what}`, body);
    } catch (e) {
      return notify(`Could not ${kind} ${path}: ${e.message}`, 'error');
    }
    notify(`${kind} ${path}: saved. New comparisons use it; rediff to apply it to stored exchanges.`);
    renderRoute(container, api, route, params);
  };
  const rediff = h(
    'button',
    {
      type: 'button',
      id: 'rediff',
      disabled: !ruleState.available,
      onclick: () => runRediff(api, r, rediff, () => renderRoute(container, api, route, params)),
    },
    'Rediff stored exchanges',
  );
  const exportLink = (format) =>
    h(
      'a',
      { class: 'button', href: api.url(`/routes/${r}/export?format=${format}${query ? `&${query}` : ''}`), download: '' },
      `Export ${format.toUpperCase()}`,
    );
  mount(
    container,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Routes'), ' / ', route),
    h('h1', {}, route, ' ', h('span', { class: 'muted small' }, summary?.match ?? '')),
    h(
      'div',
      { class: 'stats', id: 'route-stats' },
      stat('compared', c.compared),
      stat('match rate', pct(summary?.matchRate)),
      stat('mismatches', c.mismatch, 'stat-mismatches'),
      stat('noise only', c.noise_only),
      stat('errors', summary?.errors),
      h('a', { href: link('customers', '', { route }) }, 'customers on this route →'),
    ),
    h('div', { class: 'toolbar' }, rediff, exportLink('csv'), exportLink('json')),
    h(
      'section',
      {},
      h('h2', {}, 'Fields'),
      h('p', { class: 'hint' }, 'Click a field to list the mismatches where it differs.'),
      fieldTreeTable(fields, ruleState, act, (path) => api.get(`/routes/${r}/fields/examples?path=${encodeURIComponent(path)}&limit=20`)),
      ignoredList(ruleState, rules?.configured, act),
      noiseSuggestions(noise, act),
    ),
    h(
      'div',
      { class: 'side-by-side' },
      h(
        'section',
        {},
        h('h2', {}, 'Root causes'),
        h(
          'p',
          { class: 'hint' },
          'One row per cause (path pattern, kind, value transformation), counted in every mismatch where it occurs, whatever else differed there.',
        ),
        causesTable(causes),
      ),
      h(
        'section',
        {},
        h('h2', {}, 'Mismatch signatures'),
        h('p', { class: 'hint' }, 'The set of all paths that differed in one exchange.'),
        signaturesTable(sigs.signatures, route, values),
      ),
    ),
    errorsSection(route, c, errorClasses, errorPages),
    h(
      'section',
      { id: 'list' },
      h('h2', {}, 'Stored results'),
      filtersBar(values, (v) => go('route', route, v)),
      page instanceof Error
        ? errorBox(page)
        : [
            resultsTable(page.items),
            pager(page.total, offset, PAGE, (o) => go('route', route, { ...values, offset: o }), ['‹ newer', 'older ›']),
          ],
    ),
  );
}

/**
 * The route's errors, like its mismatches: the count of each error class (linked to its
 * full, filterable list) and the newest stored errors of every class, newest first.
 */
function errorsSection(route, counters, classes, pages) {
  const failed = pages.find((p) => p instanceof Error);
  const items = pages
    .filter((p) => !(p instanceof Error))
    .flatMap((p) => p.items)
    .sort((a, b) => b.at - a.at)
    .slice(0, ERRORS_SHOWN);
  return h(
    'section',
    { id: 'errors' },
    h('h2', {}, 'Errors'),
    h(
      'p',
      { class: 'hint' },
      'Compared without a verdict (the candidate failed, a translator failed, a body could not be compared); each counts against the match rate.',
    ),
    classes.length
      ? h(
          'p',
          { class: 'error-classes' },
          classes.flatMap((k, i) => [
            i ? ' · ' : null,
            h('a', { href: link('route', route, { class: k }), dataset: { class: k } }, `${num(counters[k])} ${k}`),
          ]),
        )
      : null,
    failed ? errorBox(failed) : resultsTable(items, 'errors-list', 'No errors.'),
  );
}

function stat(label, value, id) {
  return h(
    'div',
    { class: 'stat', id },
    h('div', { class: 'value' }, typeof value === 'number' || value === undefined ? num(value) : value),
    h('div', { class: 'label' }, label),
  );
}

async function runRediff(api, r, button, reload) {
  button.disabled = true;
  button.textContent = 'Rediffing…';
  try {
    const out = await api.send('POST', `/routes/${r}/rediff`, {});
    const byClass = Object.entries(out.byClass ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    notify(`Rediffed ${num(out.recomputed)} stored exchanges${byClass ? ` (${byClass})` : ''}.`);
  } catch (e) {
    notify(`Rediff failed: ${e.message}`, 'error');
  }
  reload();
}
