// DOM helpers of the rollout page (reports/rollout.js and its sections). Everything from
// the server is inserted as text (textContent / attributes), never as HTML.

export const PHASES = ['legacy', 'shadow', 'candidate', 'candidate-only'];
export const enc = encodeURIComponent;

/** el('td', { class: 'n' }, 'text', child): an element; strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value') node.value = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** A <select> of the four phases, `value` selected. */
export function phaseSelect(value, attrs = {}) {
  return el(
    'select',
    attrs,
    PHASES.map((p) => el('option', { value: p, selected: p === value }, p)),
  );
}

/** A value of the audit log as shown: JSON, or `(none)`. */
export const show = (v) => (v === null || v === undefined ? '(none)' : JSON.stringify(v));

/** The warning shown where overrides and groups are edited while no customer is identified (the API's text). */
export const customerNotice = (text) => (text ? el('p', { class: 'notice warn customer-warning' }, `Warning: ${text}`) : '');
