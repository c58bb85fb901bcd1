// Mismatch page: the redacted request, legacy and candidate side by side with differences highlighted,
// the translated request that went to the candidate, and replay against the current candidate.
import { errorBox, h, mount, num, when } from './dom.js';
import { bodyText, diffView, headText, requestText, sortKeys, valueText } from './diff-view.js';
import {
  candidateFailure,
  groupReordered,
  parsedBody,
  pathSegments,
  patternCovers,
  pruneBody,
  dropAdded,
  servedText,
  splitHeaders,
} from './mismatch-fold.js';
import { link } from './router.js';

export async function renderMismatch(container, api, id, params, view = location.hash.startsWith('#/exchange/') ? 'exchange' : 'mismatch') {
  const i = encodeURIComponent(id);
  let record = view === 'mismatch' ? await api.get(`/mismatches/${i}`).catch((e) => (e.status === 404 ? null : Promise.reject(e))) : null;
  if (!record) record = { ...(await api.get(`/exchanges/${i}`)), result: null };
  const ex = record.exchange;
  const result = record.result;
  const hints = record.hints ?? null;
  const failure = candidateFailure(ex);
  const cls =
    result?.class ??
    params?.get('class') ??
    (ex.candidateError || failure?.startsWith('candidate answered') ? 'candidate_error' : ex.translationError ? 'translation_error' : null);
  const replayBox = h('section', { id: 'replay' });
  const replay = h(
    'button',
    { type: 'button', id: 'replay-button', onclick: () => runReplay(api, i, replay, replayBox) },
    'Replay against the current candidate',
  );
  mount(
    container,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Routes'), ' / ', h('a', { href: link('route', ex.route) }, ex.route), ' / ', id),
    h('h1', {}, result ? `Mismatch` : 'Exchange', ' ', h('code', { id: 'request-line' }, requestText(ex.request).split('\n')[0])),
    h(
      'dl',
      { class: 'facts' },
      fact('when', when(ex.at)),
      fact('customer', h('a', { href: link('customers', '', { customer: ex.customer }) }, ex.customer)),
      fact('request id', ex.requestId),
      fact(
        'result',
        h(
          'span',
          { id: 'result-class' },
          cls ?? "not compared (see the route's counters)",
          failure ? h('strong', { class: 'bad-text', id: 'candidate-failure' }, ` (${failure})`) : '',
        ),
      ),
      fact('served to the client by', h('span', { id: 'served-by' }, servedText(ex))),
      result?.risk ? fact('risk', h('span', { class: `risk ${result.risk}` }, result.risk)) : null,
      result?.signature
        ? fact('signature', h('a', { href: link('route', ex.route, { signature: result.signature }) }, h('code', {}, result.signature)))
        : null,
      ex.candidateError ? fact('candidate error', `${ex.candidateError.kind}: ${ex.candidateError.message}`) : null,
      ex.translationError ? fact('translation error', `${ex.translationError.stage}: ${ex.translationError.message}`) : null,
      ex.storedWithout?.length
        ? fact(
            'left out of the stored record',
            h('span', { id: 'stored-without' }, `${ex.storedWithout.join(', ')} (over retention.maxRecordBytes; size and SHA-256 kept)`),
          )
        : null,
    ),
    h('div', { class: 'toolbar' }, replay),
    replayBox,
    result
      ? h(
          'section',
          {},
          h('h2', {}, `Differences (${num(result.differences.length + (result.omittedDifferences ?? 0))})`),
          differencesTable(groupReordered(result.differences, ...bodiesOf(ex, record.translatedCandidate))),
          result.omittedDifferences
            ? h(
                'p',
                { class: 'muted', id: 'more-differences' },
                `and ${num(result.omittedDifferences)} more, counted but not kept (retention.maxDifferences, retention.maxRecordBytes)`,
              )
            : null,
          noiseLine(result),
        )
      : null,
    h(
      'section',
      { id: 'responses' },
      h('h2', {}, 'Legacy and candidate responses'),
      ...responseDiffs(ex, record.translatedCandidate, undefined, hints, result),
    ),
    h(
      'section',
      { class: 'pair' },
      h('div', {}, h('h2', {}, 'Request (redacted)'), h('pre', { id: 'request' }, requestText(ex.request))),
      h(
        'div',
        {},
        h('h2', {}, 'Translated request sent to the candidate'),
        h('pre', { id: 'candidate-request' }, requestText(ex.candidateRequest)),
      ),
    ),
  );
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

/** The parsed bodies the comparison saw: legacy, and the candidate after response translation. */
function bodiesOf(ex, translated) {
  return [parsedBody(ex.legacy.body, true), translated ? parsedBody(translated.body, false) : parsedBody(ex.candidate?.body, true)];
}

function differencesTable(diffs, id = 'differences') {
  // A redacted value is known only by its keyed fingerprint: say that it differs, show no value.
  const show = (v, d) => (v === undefined ? '' : d.redacted ? '[REDACTED]' : JSON.stringify(v));
  const kind = (d) => (d.redacted ? `${d.kind}: differs (redacted)` : d.kind);
  const row = (d) =>
    d.kind === 'reordered'
      ? h(
          'tr',
          { class: 'reordered' },
          h('td', {}, h('code', {}, d.path)),
          h('td', { colspan: 3 }, `same elements, different order (${num(d.count)} positional differences folded)`),
        )
      : h(
          'tr',
          {},
          h('td', {}, h('code', {}, d.path)),
          h('td', {}, kind(d)),
          h('td', { class: 'del' }, h('code', {}, show(d.legacy, d))),
          h('td', { class: 'ins' }, h('code', {}, show(d.candidate, d))),
        );
  return h(
    'table',
    { class: 'differences', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Path', 'Kind', 'Legacy', 'Candidate'].map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, diffs.map(row)),
  );
}

function noiseLine(result) {
  const parts = [];
  if (result.noise?.length) parts.push(`noise (not counted): ${result.noise.join(', ')}`);
  if (result.suspectedNoise?.length) parts.push(`looks volatile: ${result.suspectedNoise.join(', ')}`);
  return parts.length ? h('p', { class: 'muted' }, parts.join(' · ')) : null;
}

/**
 * Status+headers and body diffs of legacy against the candidate as compared (after response
 * translation). With `hints`, only what the comparison counts is diffed in colour: headers
 * that are not compared, charset parameters, and noise or ignored paths are folded below,
 * dimmed, under "not counted".
 */
export function responseDiffs(
  ex,
  translated,
  names = ['legacy', translated ? 'candidate, translated' : 'candidate'],
  hints = null,
  result = null,
) {
  if (!ex.candidate)
    return [
      h('p', { class: 'muted' }, 'The candidate gave no response.'),
      h('pre', {}, headText(ex.legacy.status, ex.legacy.headers), '\n\n', bodyText(ex.legacy.body)),
    ];
  const cand = translated ?? { status: ex.candidate.status, headers: ex.candidate.headers };
  const candBody = translated ? valueText(translated.body) : bodyText(ex.candidate.body);
  const out = [];
  if (!hints) {
    out.push(diffView('status and headers', headText(ex.legacy.status, ex.legacy.headers), headText(cand.status, cand.headers), names));
    out.push(diffView('body', bodyText(ex.legacy.body), candBody, names));
  } else {
    const l = splitHeaders(ex.legacy.status, ex.legacy.headers, hints);
    const c = splitHeaders(cand.status, cand.headers, hints);
    out.push(diffView('status and compared headers', l.counted, c.counted, names));
    const notCounted = [
      ...hints.ignore.map((p) => ({ p, why: 'ignored' })),
      ...hints.noise.map((p) => ({ p, why: 'noise' })),
      ...(result?.noise ?? []).map((p) => ({ p, why: 'noise' })),
    ];
    const [lb, cb] = bodiesOf(ex, translated);
    const patterns = notCounted.map((x) => x.p);
    const lp = lb === undefined ? null : pruneBody(lb, patterns);
    const pruned = cb === undefined ? null : pruneBody(cb, patterns);
    // Fields only the candidate has are not counted (allowAdded, on by default): fold them with the rest.
    const added = lp && pruned && hints.allowAdded !== false ? dropAdded(lp.kept, pruned.kept) : null;
    const cp = added ? { kept: added.kept, removed: [...pruned.removed, ...added.removed] } : pruned;
    const pretty = (v) => JSON.stringify(sortKeys(v), null, 2);
    out.push(
      lp && cp
        ? diffView('body (counted fields)', pretty(lp.kept), pretty(cp.kept), names)
        : diffView('body', bodyText(ex.legacy.body), candBody, names),
    );
    const folded = [];
    if (l.other || c.other) folded.push(h('div', { class: 'pair' }, h('pre', {}, l.other || '(none)'), h('pre', {}, c.other || '(none)')));
    const removed = [
      ...(lp?.removed ?? []).map((r) => ({ ...r, side: 'legacy' })),
      ...(cp?.removed ?? []).map((r) => ({ ...r, side: 'candidate' })),
    ];
    if (removed.length) {
      const why = (path) => notCounted.find((x) => patternCovers(x.p, pathSegments(path)))?.why ?? 'not counted';
      const byPath = new Map();
      for (const r of removed) byPath.set(r.path, { ...(byPath.get(r.path) ?? {}), [r.side]: r.value, ...(r.why ? { why: r.why } : {}) });
      folded.push(
        h(
          'table',
          { class: 'not-counted-fields' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Path', 'Why', 'Legacy', 'Candidate'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            [...byPath].map(([path, v]) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, path)),
                h('td', {}, v.why ?? why(path)),
                h('td', {}, h('code', {}, JSON.stringify(v.legacy) ?? '')),
                h('td', {}, h('code', {}, JSON.stringify(v.candidate) ?? '')),
              ),
            ),
          ),
        ),
      );
    }
    if (folded.length) {
      out.push(
        h(
          'details',
          { class: 'not-counted', id: 'not-counted' },
          h(
            'summary',
            {},
            `Not counted: ${[l.other || c.other ? 'headers not compared (and charset parameters)' : '', removed.length ? `${new Set(removed.map((r) => r.path)).size} ignored, noise or candidate-only field(s)` : ''].filter(Boolean).join('; ')}`,
          ),
          ...folded,
        ),
      );
    }
  }
  if (translated) {
    out.push(
      h(
        'details',
        {},
        h('summary', {}, 'Candidate response before response translation'),
        h('pre', { id: 'candidate-raw' }, headText(ex.candidate.status, ex.candidate.headers), '\n\n', bodyText(ex.candidate.body)),
      ),
    );
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
      h(
        'p',
        { id: 'replay-result', class: `replay ${out.result.class}` },
        `Now: ${out.result.class}`,
        out.result.reason ? ` (${out.result.reason})` : '',
        ` with ${diffs.length} difference(s)`,
        out.before ? `; stored: ${out.before.class}${out.before.signature ? ` [${out.before.signature}]` : ''}` : '',
        '. Not stored.',
      ),
      diffs.length ? differencesTable(diffs, 'replay-differences') : null,
      ...responseDiffs(out.exchange, out.translatedCandidate, ['legacy, stored', 'candidate now']),
    );
  } catch (e) {
    mount(box, errorBox(e));
  }
  button.disabled = false;
  button.textContent = 'Replay against the current candidate';
}
