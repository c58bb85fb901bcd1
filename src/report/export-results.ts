import type { StoredResult } from './result-list';

/**
 * Export formats (`?format=` of the export endpoint; anything else is a 400).
 *
 * @example
 * const { format } = readQuery(req.query, { format: enumParam(EXPORT_FORMATS, 'csv') });
 */
export type ExportFormat = 'csv' | 'json';

/** Every export format, for the endpoint's parameter check. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

const CSV_COLUMNS = [
  'id',
  'at',
  'route',
  'customer',
  'method',
  'path',
  'class',
  'legacy_status',
  'candidate_status',
  'risk',
  'signature',
  'differences',
  'paths',
  'duplicates',
] as const;

/**
 * One CSV cell: quoted when needed, and defused wherever a spreadsheet could start a cell
 * it reads as a formula: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front, and
 * so does one after a `;`, CR or LF (optionally behind a `"`). Excel in a locale whose list
 * separator is `;` splits a `.csv` on `;` and on line ends, quotes or not, so a client's
 * `/p/a;=1+2` or customer `acme;@x` would otherwise start a formula cell of its own.
 *
 * @example
 * csvCell('=1+1'); // "'=1+1"
 * csvCell('a;=1+1'); // "a;'=1+1"
 * csvCell('a,b'); // '"a,b"'
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  s = s.replace(/([;\r\n])(?=["]*[=+\-@\t\r])/g, "$1'");
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Serialise results as they are read: a CSV with a header line (one row per result,
 * differing paths joined with `;`) or a JSON array of the full redacted records. A
 * mismatch carries `duplicates` (identical pairs counted, not stored again), so the rows
 * reconcile with the counters: the sum of `1 + duplicates` over the exported mismatches
 * is the `mismatch` counter (of what retention kept).
 *
 * @example
 * for await (const chunk of exportChunks(eachResult(store, 'product', filter), 'csv')) res.write(chunk);
 */
export async function* exportChunks(results: AsyncIterable<StoredResult>, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'json') {
    let first = true;
    yield '[';
    for await (const r of results) {
      yield `${first ? '' : ','}\n${JSON.stringify(r)}`;
      first = false;
    }
    yield '\n]\n';
    return;
  }
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const r of results) yield `${csvRow(r).map(csvCell).join(',')}\r\n`;
}

function csvRow(r: StoredResult): unknown[] {
  const ex = r.exchange;
  const diffs = r.result?.differences ?? [];
  return [
    ex.id,
    new Date(ex.at).toISOString(),
    ex.route,
    ex.customer,
    ex.request.method,
    ex.request.path,
    r.class,
    ex.legacy.status,
    r.translatedCandidate?.status ?? ex.candidate?.status ?? '',
    r.result?.risk ?? '',
    r.result?.signature ?? '',
    diffs.length + (r.result?.omittedDifferences ?? 0),
    diffs.map((d) => d.path).join(';'),
    r.class === 'mismatch' ? (r.duplicates ?? 0) : '',
  ];
}
