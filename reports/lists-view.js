// Tables of a route page: mismatch signatures and the (filtered) result list.
import { h, num, pct, when } from './dom.js';
import { link } from './router.js';

/**
 * causesTable({ causes, compared, overCap }) → table: one row per root cause (path pattern,
 * kind and value transformation), whatever else differed in the same exchanges.
 */
export function causesTable(data) {
  const show = (v) => (v === undefined ? '–' : JSON.stringify(v));
  const causes = data?.causes ?? [];
  return h(
    'table',
    { class: 'causes', id: 'causes' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Cause', 'Mismatches', 'Of compared', 'First seen', 'Last seen', 'Customers', 'Examples'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      causes.length
        ? causes.map((c) =>
            h(
              'tr',
              { dataset: { cause: c.key } },
              h(
                'td',
                {},
                h('code', {}, c.pattern),
                ' ',
                h('span', { class: 'cause-label' }, c.label.slice(c.pattern.length + 2) || c.label),
              ),
              h('td', { class: 'n' }, num(c.count)),
              h('td', { class: 'n' }, pct(c.share)),
              h('td', {}, when(c.firstSeen)),
              h('td', {}, when(c.lastSeen)),
              h('td', { class: 'n' }, num(c.customers)),
              h(
                'td',
                { class: 'examples' },
                c.examples.map((e) =>
                  h(
                    'div',
                    {},
                    h('a', { href: link('mismatch', e.id) }, h('code', {}, e.path)),
                    ' ',
                    h('code', { class: 'del' }, show(e.legacy)),
                    ' → ',
                    h('code', { class: 'ins' }, show(e.candidate)),
                  ),
                ),
              ),
            ),
          )
        : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No differences recorded yet.')),
    ),
    data?.overCap
      ? h('caption', { class: 'muted small' }, `${num(data.overCap)} mismatches had a cause beyond the ${num(data.total)} kept`)
      : null,
  );
}

/** signaturesTable(signatures, route, values) → table; a signature links to the list filtered by it. */
export function signaturesTable(signatures, route, values) {
  return h(
    'table',
    { class: 'signatures', id: 'signatures' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Signature', 'Count', 'Risk', 'First seen', 'Last seen', 'Sample'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      signatures.length
        ? signatures.map((s) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h(
                  'a',
                  { href: link('route', route, { ...values, signature: s.signature, class: '' }), class: 'sig' },
                  h('code', {}, s.signature || '(empty)'),
                ),
              ),
              h('td', { class: 'n' }, num(s.count)),
              h('td', {}, h('span', { class: `risk ${s.risk}` }, s.risk || '–')),
              h('td', {}, when(s.firstSeen)),
              h('td', {}, when(s.lastSeen)),
              h('td', {}, s.sample ? h('a', { href: link('mismatch', s.sample) }, 'open') : '–'),
            ),
          )
        : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No mismatch signatures.')),
    ),
  );
}

/** resultsTable(items, id) → table of stored results; mismatches open the mismatch page, others the exchange page. */
export function resultsTable(items, id = 'results', empty = 'Nothing stored matches these filters.') {
  return h(
    'table',
    { class: 'results', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['When', 'Customer', 'Request', 'Result', 'Status legacy → candidate', 'Risk', 'Signature / reason', 'Diffs'].map((t) =>
          h('th', {}, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      items.length
        ? items.map((m) =>
            h(
              'tr',
              { dataset: { id: m.id } },
              h(
                'td',
                {},
                h(
                  'a',
                  { href: m.class === 'mismatch' ? link('mismatch', m.id) : link('exchange', m.id, { class: m.class }), class: 'open' },
                  when(m.at),
                ),
              ),
              h('td', {}, m.customer),
              h('td', { class: 'request' }, h('code', {}, m.requestLine ?? `${m.method} ${m.path}`)),
              h('td', {}, m.class),
              h('td', {}, `${m.legacyStatus} → ${m.candidateStatus ?? '–'}`),
              h('td', {}, m.risk ? h('span', { class: `risk ${m.risk}` }, m.risk) : '–'),
              h(
                'td',
                {},
                h('code', {}, m.signature ?? m.reason ?? ''),
                m.duplicates
                  ? h(
                      'span',
                      { class: 'badge', title: 'identical exchange pairs counted, not stored again' },
                      `+${num(m.duplicates)} identical`,
                    )
                  : null,
              ),
              h('td', { class: 'n' }, num(m.differences)),
            ),
          )
        : h('tr', {}, h('td', { colspan: 8, class: 'muted' }, empty)),
    ),
  );
}
