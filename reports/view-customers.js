// Customers page: per customer, per route, volume and match rate, to see who is ready to opt in.
import { h, mount, num, pager, rateCell } from './dom.js';
import { go, link } from './router.js';

const PAGE = 200;
/** A customer is shown as ready on a route at this match rate over at least READY_VOLUME comparisons. */
const READY_RATE = 0.99;
const READY_VOLUME = 100;

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
  const form = h('form', { class: 'filters' }, h('label', {}, 'Route ', routeIn), h('label', {}, 'Customer ', customerIn), h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go('customers', '', { route: routeIn.value.trim(), customer: customerIn.value.trim() });
  });
  mount(
    container,
    h('h1', {}, 'Customers'),
    h('p', { class: 'muted' }, `Ready: match rate at least ${READY_RATE * 100}% over at least ${READY_VOLUME} comparisons on that route.`),
    form,
    customersTable(data.items),
    pager(data.total, offset, PAGE, (o) => go('customers', '', { route, customer, offset: o })),
  );
}

function customersTable(rows) {
  const head = ['Customer', 'Route', 'Compared', 'Match rate', 'Mismatches', 'Noise', 'Errors', 'Ready'];
  let last = null;
  return h(
    'table',
    { class: 'customers', id: 'customers' },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) => {
            const first = r.customer !== last;
            last = r.customer;
            const ready = r.matchRate !== null && r.matchRate >= READY_RATE && r.compared >= READY_VOLUME;
            return h(
              'tr',
              { class: first ? 'first' : '', dataset: { customer: r.customer, route: r.route } },
              h('td', {}, first ? h('a', { href: link('customers', '', { customer: r.customer }) }, r.customer) : ''),
              h('td', {}, h('a', { href: link('route', r.route, { customer: r.customer }) }, r.route)),
              h('td', { class: 'n' }, num(r.compared)),
              rateCell(r.matchRate),
              h('td', { class: 'n' }, num(r.mismatch)),
              h('td', { class: 'n' }, num(r.noise)),
              h('td', { class: 'n' }, num(r.errors)),
              h('td', {}, ready ? h('span', { class: 'badge good' }, 'ready') : h('span', { class: 'muted' }, 'not yet')),
            );
          })
        : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'No customer data yet.')),
    ),
  );
}
