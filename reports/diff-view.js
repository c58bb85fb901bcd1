// Side-by-side highlighted diffs with diff2html (rendering) and jsdiff (the unified patch it renders).
// Inputs are pretty-printed text; diff2html escapes every line it renders.
import { h, mount } from './dom.js';
import { parseJsonShown } from './exact-json.js';

/** Recursively sorted keys, so a diff shows changed values rather than reordered keys. */
export function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}

/** Pretty JSON when the text is JSON (a number a double cannot hold as its digits, in quotes), else the text itself. */
export function prettyText(text) {
  try {
    return JSON.stringify(sortKeys(parseJsonShown(text)), null, 2);
  } catch {
    return text;
  }
}

/** A stored body record ({ encoding, data, size, truncated, sha256 }) as readable text. */
export function bodyText(record) {
  if (!record) return '';
  if (record.truncated) return `(body of ${record.size} bytes, over the capture cap; sha256 ${record.sha256 ?? 'unknown'})`;
  if (record.encoding === 'utf8') return prettyText(record.data);
  return `(binary or compressed body, ${record.size} bytes, base64)\n${record.data.slice(0, 4000)}`;
}

/** A parsed body value (as the response translator returned it) as text. */
export function valueText(v) {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? prettyText(v) : JSON.stringify(sortKeys(v), null, 2);
}

/** Status line and headers, sorted, one per line. */
export function headText(status, headers) {
  const lines = Object.keys(headers ?? {})
    .sort()
    .flatMap((k) => [].concat(headers[k] ?? []).map((v) => `${k}: ${v}`));
  return [`HTTP ${status ?? '–'}`, ...lines].join('\n');
}

/** A request record as text: request line, headers, body. */
export function requestText(req) {
  if (!req) return '(none)';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) for (const one of [].concat(v)) qs.append(k, one);
  const head = `${req.method} ${req.path}${qs.size ? `?${qs}` : ''}`;
  const headers = Object.keys(req.headers ?? {})
    .sort()
    .flatMap((k) => [].concat(req.headers[k] ?? []).map((v) => `${k}: ${v}`));
  const body = bodyText(req.body);
  return [head, ...headers, ...(body ? ['', body] : [])].join('\n');
}

/** Changed lines a text diff may have before the page shows both sides instead (keeps a page with big bodies quick). */
const MAX_EDIT_LENGTH = 1000;

/** diffView(title, left, right) → a side-by-side diff of two texts (legacy left, candidate right). */
export function diffView(title, left, right, names = ['legacy', 'candidate']) {
  const box = h('div', { class: 'diff' });
  if (left === right) {
    mount(box, h('p', { class: 'muted' }, `${title}: identical`), h('pre', {}, left));
    return box;
  }
  const { Diff, Diff2Html } = window;
  if (!Diff || !Diff2Html) {
    mount(box, h('div', { class: 'pair' }, h('pre', {}, left), h('pre', {}, right)));
    return box;
  }
  const lines = Math.max(left.split('\n').length, right.split('\n').length);
  const label = `${title}: ${names[0]} (left), ${names[1]} (right)`;
  // Bounded: past MAX_EDIT_LENGTH changed lines jsdiff gives up (its cost grows with the square of the edits) and both sides are shown as they are.
  const patch = Diff.createTwoFilesPatch(label, label, `${left}\n`, `${right}\n`, '', '', {
    context: lines < 500 ? lines : 10,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (!patch) {
    mount(
      box,
      h(
        'p',
        { class: 'muted diff-too-large' },
        `${title}: more than ${MAX_EDIT_LENGTH} changed lines, not shown as a diff; both sides as stored:`,
      ),
      h('div', { class: 'pair' }, h('pre', {}, left), h('pre', {}, right)),
    );
    return box;
  }
  box.innerHTML = Diff2Html.html(patch, { outputFormat: 'side-by-side', drawFileList: false, matching: 'lines', diffStyle: 'word' });
  return box;
}
