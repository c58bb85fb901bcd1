// Customers page: per customer, per route, volume and match rate, to see who is ready to opt in.
import { h, mount, num, pager, pct, rateCell } from './dom.js';
import { go, link } from './router.js';

const PAGE = 200;

export async function renderCustomers(container, api, _arg, params) {
  const route = params.get('route') ?? '';
  const customer = params.get('customer') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const qs = new URLSearchParams({ offset, limit: PAGE });
  if (route) qs.set('route', route);
  if (customer) qs.set('customer', customer);
  const data = await api.get(`/customers?${qs}`);
  const routeIn = h('input', { type: 'text', id: 'c-route', placeholder: 'any route', value: route });
  const customerIn = h('input', { type: 'text', id: 'c-customer', placeholder: 'any customer', value: customer });
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, 'Route ', routeIn),
    h('label', {}, 'Customer ', customerIn),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go('customers', '', { route: routeIn.value.trim(), customer: customerIn.value.trim() });
  });
  mount(
    container,
    h('h1', {}, 'Customers'),
    h('p', { class: 'muted' }, readyRule(data.readiness)),
    form,
    customersTable(data.items),
    pager(data.total, offset, PAGE, (o) => go('customers', '', { route, customer, offset: o })),
  );
}

/** The rollout guard's rule, as configured (the API sends it with the rows). */
function readyRule(r) {
  if (!r) return 'Match rate: matches and noise-only results over every recorded result; errors count against it.';
  return `Match rate: matches and noise-only results over every recorded result; errors count against it. Ready: the rollout guard's verdict, a match rate of at least ${pct(r.threshold)} over the customer's last ${num(r.window)} results on that route (at least ${num(r.minCompared)}).`;
}

function readyCell(r) {
  if (!r) return h('td', { class: 'muted' }, '–');
  // The server's sentence (describedReadiness), as the overview and the Rollout page show it.
  return h('td', { title: r.summary }, r.ready ? h('span', { class: 'badge good' }, 'ready') : h('span', { class: 'muted' }, 'not yet'));
}

function customersTable(rows) {
  const head = ['Customer', 'Route', 'Compared', 'Match rate', 'Mismatches', 'Noise', 'Errors', 'Ready'];
  let last = null;
  return h(
    'table',
    { class: 'customers', id: 'customers' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) => {
            const first = r.customer !== last;
            last = r.customer;
            return h(
              'tr',
              { class: first ? 'first' : '', dataset: { customer: r.customer, route: r.route } },
              h('td', {}, first ? h('a', { href: link('customers', '', { customer: r.customer }) }, r.customer) : ''),
              h('td', {}, h('a', { href: link('route', r.route, { customer: r.customer }) }, r.route)),
              h('td', { class: 'n' }, num(r.compared)),
              rateCell(r.matchRate, r.matchRateMeetsThreshold),
              h('td', { class: 'n' }, num(r.mismatch)),
              h('td', { class: 'n' }, num(r.noise)),
              h('td', { class: 'n' }, num(r.errors)),
              readyCell(r.readiness),
            );
          })
        : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'No customer data yet.')),
    ),
  );
}
