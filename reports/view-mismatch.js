// Mismatch page: the redacted request, legacy and candidate side by side with differences highlighted,
// the translated request that went to the candidate, and replay against the current candidate.
import { errorBox, h, mount, num, when } from './dom.js';
import { bodyText, diffView, headText, requestText, valueText } from './diff-view.js';
import { link } from './router.js';

export async function renderMismatch(container, api, id, _params, view = location.hash.startsWith('#/exchange/') ? 'exchange' : 'mismatch') {
  const i = encodeURIComponent(id);
  let record = view === 'mismatch' ? await api.get(`/mismatches/${i}`).catch((e) => (e.status === 404 ? null : Promise.reject(e))) : null;
  if (!record) record = { ...(await api.get(`/exchanges/${i}`)), result: null };
  const ex = record.exchange;
  const result = record.result;
  const replayBox = h('section', { id: 'replay' });
  const replay = h('button', { type: 'button', id: 'replay-button', onclick: () => runReplay(api, i, replay, replayBox) }, 'Replay against the current candidate');
  mount(
    container,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Routes'), ' / ', h('a', { href: link('route', ex.route) }, ex.route), ' / ', id),
    h('h1', {}, result ? `Mismatch` : 'Exchange', ' ', h('code', {}, `${ex.request.method} ${ex.request.path}`)),
    h('dl', { class: 'facts' },
      fact('when', when(ex.at)), fact('customer', h('a', { href: link('customers', '', { customer: ex.customer }) }, ex.customer)), fact('request id', ex.requestId),
      fact('result', result?.class ?? (ex.candidateError ? 'candidate_error' : ex.translationError ? 'translation_error' : 'see the route list')),
      result?.risk ? fact('risk', h('span', { class: `risk ${result.risk}` }, result.risk)) : null,
      result?.signature ? fact('signature', h('a', { href: link('route', ex.route, { signature: result.signature }) }, h('code', {}, result.signature))) : null,
      ex.candidateError ? fact('candidate error', `${ex.candidateError.kind}: ${ex.candidateError.message}`) : null,
      ex.translationError ? fact('translation error', `${ex.translationError.stage}: ${ex.translationError.message}`) : null),
    h('div', { class: 'toolbar' }, replay),
    replayBox,
    result ? h('section', {}, h('h2', {}, `Differences (${num(result.differences.length)})`), differencesTable(result.differences), noiseLine(result)) : null,
    h('section', { id: 'responses' }, h('h2', {}, 'Legacy and candidate responses'), ...responseDiffs(ex, record.translatedCandidate)),
    h('section', { class: 'pair' },
      h('div', {}, h('h2', {}, 'Request (redacted)'), h('pre', { id: 'request' }, requestText(ex.request))),
      h('div', {}, h('h2', {}, 'Translated request sent to the candidate'), h('pre', { id: 'candidate-request' }, requestText(ex.candidateRequest)))),
  );
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function differencesTable(diffs, id = 'differences') {
  const show = (v) => (v === undefined ? '' : JSON.stringify(v));
  return h(
    'table',
    { class: 'differences', id },
    h('thead', {}, h('tr', {}, ['Path', 'Kind', 'Legacy', 'Candidate'].map((t) => h('th', {}, t)))),
    h('tbody', {}, diffs.map((d) => h('tr', {}, h('td', {}, h('code', {}, d.path)), h('td', {}, d.kind), h('td', { class: 'del' }, h('code', {}, show(d.legacy))), h('td', { class: 'ins' }, h('code', {}, show(d.candidate)))))),
  );
}

function noiseLine(result) {
  const parts = [];
  if (result.noise?.length) parts.push(`noise (not counted): ${result.noise.join(', ')}`);
  if (result.suspectedNoise?.length) parts.push(`looks volatile: ${result.suspectedNoise.join(', ')}`);
  return parts.length ? h('p', { class: 'muted' }, parts.join(' · ')) : null;
}

/** Status+headers and body diffs of legacy against the candidate as compared (after response translation). */
export function responseDiffs(ex, translated, names = ['legacy', translated ? 'candidate, translated' : 'candidate']) {
  if (!ex.candidate) return [h('p', { class: 'muted' }, 'The candidate gave no response.'), h('pre', {}, headText(ex.legacy.status, ex.legacy.headers), '\n\n', bodyText(ex.legacy.body))];
  const cand = translated ?? { status: ex.candidate.status, headers: ex.candidate.headers };
  const candBody = translated ? valueText(translated.body) : bodyText(ex.candidate.body);
  const out = [
    diffView('status and headers', headText(ex.legacy.status, ex.legacy.headers), headText(cand.status, cand.headers), names),
    diffView('body', bodyText(ex.legacy.body), candBody, names),
  ];
  if (translated) {
    out.push(h('details', {}, h('summary', {}, 'Candidate response before response translation'),
      h('pre', { id: 'candidate-raw' }, headText(ex.candidate.status, ex.candidate.headers), '\n\n', bodyText(ex.candidate.body))));
  }
  return out;
}

async function runReplay(api, i, button, box) {
  button.disabled = true;
  button.textContent = 'Replaying…';
  try {
    const out = await api.send('POST', `/exchanges/${i}/replay`, {});
    const diffs = out.result.differences ?? [];
    mount(
      box,
      h('h2', {}, 'Replay ', h('span', { class: 'muted small' }, when(out.replayedAt))),
      h('p', { id: 'replay-result', class: `replay ${out.result.class}` },
        `Now: ${out.result.class}`, out.result.reason ? ` (${out.result.reason})` : '', ` with ${diffs.length} difference(s)`,
        out.before ? `; stored: ${out.before.class}${out.before.signature ? ` [${out.before.signature}]` : ''}` : '', '. Not stored.'),
      diffs.length ? differencesTable(diffs, 'replay-differences') : null,
      ...responseDiffs(out.exchange, out.translatedCandidate, ['legacy, stored', 'candidate now']),
    );
  } catch (e) {
    mount(box, errorBox(e));
  }
  button.disabled = false;
  button.textContent = 'Replay against the current candidate';
}
