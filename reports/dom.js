import { formatRate } from './figures.js';

// DOM helpers. Everything from a backend goes in as text (textContent / attributes),
// never as HTML; the only HTML inserted is diff2html's output, which escapes its input.

/** h('a', { href: '#/x', class: 'c' }, 'text', child) → element. Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's content. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const num = (n) => (n ?? 0).toLocaleString('en-US');
// A rate as every surface shows it: the server's own formatRate (figures.js is written from it).
export const pct = (r) => formatRate(r, '–');
export const when = (ms) =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '–';

/**
 * A match-rate cell with a small bar, coloured by the server's verdict on it
 * (`matchRateMeetsThreshold`: the rollout threshold's rule; no colour without one).
 */
export function rateCell(rate, meetsThreshold) {
  const cls =
    rate === null || rate === undefined
      ? 'rate none'
      : meetsThreshold === true
        ? 'rate good'
        : meetsThreshold === false
          ? 'rate bad'
          : 'rate';
  const bar = h('meter', { min: 0, max: 1, value: rate ?? 0 });
  return h('td', { class: cls }, bar, ' ', pct(rate));
}

/** A small notice at the top of the page. */
export function notify(message, kind = 'info') {
  const box = document.getElementById('notice');
  mount(
    box,
    h(
      'div',
      { class: `notice ${kind}` },
      message,
      ' ',
      h('button', { type: 'button', class: 'link', onclick: () => box.replaceChildren() }, 'dismiss'),
    ),
  );
}

/** Previous/next links for an offset-paginated list. */
export function pager(total, offset, limit, go, labels = ['‹ previous', 'next ›']) {
  const last = Math.max(0, total - 1);
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, labels[0]),
    ` ${total ? offset + 1 : 0}–${Math.min(total, offset + limit)} of ${num(total)} `,
    h('button', { type: 'button', disabled: offset + limit > last, onclick: () => go(offset + limit) }, labels[1]),
  );
}

/** An error as a box (status and message as text). */
export function errorBox(e) {
  return h('div', { class: 'error' }, h('strong', {}, e.status ? `Error ${e.status}: ` : 'Error: '), e.message ?? String(e));
}
