// Filters of a route's result list, read from and written to the deep link's params.
import { h } from './dom.js';

export const FILTER_KEYS = ['since', 'from', 'to', 'customer', 'signature', 'risk', 'class'];
const SINCE = {
  '': 'all time',
  '15m': 'last 15 minutes',
  '1h': 'last hour',
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  custom: 'custom range',
};
const CLASSES = ['mismatch', 'match', 'noise_only', 'candidate_error', 'translation_error', 'unparseable', 'too_large'];

/** The filter values in a URLSearchParams, as an object (empty values left out). */
export function filterValues(params) {
  const out = {};
  for (const k of FILTER_KEYS) if (params.get(k)) out[k] = params.get(k);
  return out;
}

/** The filter values as an API query string (without offset/limit). */
export function filterQuery(values) {
  return new URLSearchParams(values).toString();
}

const toLocal = (ms) => (ms ? new Date(Number(ms) - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '');
const fromLocal = (s) => (s ? String(new Date(s).getTime()) : '');

/** filtersBar(values, apply) → a form; apply(newValues) on submit. */
export function filtersBar(values, apply) {
  const custom = Boolean(values.from || values.to);
  const since = h(
    'select',
    { name: 'since', id: 'f-since' },
    Object.entries(SINCE).map(([v, label]) =>
      h('option', { value: v, selected: custom ? v === 'custom' : v === (values.since ?? '') }, label),
    ),
  );
  const from = h('input', { type: 'datetime-local', name: 'from', id: 'f-from', value: toLocal(values.from), hidden: !custom });
  const to = h('input', { type: 'datetime-local', name: 'to', id: 'f-to', value: toLocal(values.to), hidden: !custom });
  since.addEventListener('change', () => (from.hidden = to.hidden = since.value !== 'custom'));
  const customer = h('input', {
    type: 'text',
    name: 'customer',
    id: 'f-customer',
    placeholder: 'any customer',
    value: values.customer ?? '',
  });
  const signature = h('input', {
    type: 'text',
    name: 'signature',
    id: 'f-signature',
    placeholder: 'any signature',
    value: values.signature ?? '',
  });
  const risk = h(
    'select',
    { name: 'risk', id: 'f-risk' },
    ['', 'high', 'medium', 'low'].map((v) => h('option', { value: v, selected: v === (values.risk ?? '') }, v || 'any risk')),
  );
  const cls = h(
    'select',
    { name: 'class', id: 'f-class' },
    CLASSES.map((v) => h('option', { value: v, selected: v === (values.class ?? 'mismatch') }, v)),
  );
  const form = h(
    'form',
    { class: 'filters', id: 'filters' },
    h('label', {}, 'Time ', since),
    from,
    to,
    h('label', {}, 'Customer ', customer),
    h('label', {}, 'Signature ', signature),
    h('label', {}, 'Risk ', risk),
    h('label', {}, 'Result ', cls),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', class: 'link', onclick: () => apply({}) }, 'clear'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const isCustom = since.value === 'custom';
    apply({
      since: isCustom ? '' : since.value,
      from: isCustom ? fromLocal(from.value) : '',
      to: isCustom ? fromLocal(to.value) : '',
      customer: customer.value.trim(),
      signature: signature.value.trim(),
      risk: risk.value,
      class: cls.value === 'mismatch' ? '' : cls.value,
    });
  });
  return form;
}
