// A per-minute sparkline: compared volume as grey bars, mismatches as red bars on top, errors (dark orange) above them.

const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** sparkline(trend) → <svg>; trend = { start, stepMs, compared: [], mismatch: [], error: [] } from the API. */
export function sparkline(trend, width = 120, height = 24) {
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img' });
  if (!trend || !trend.compared.length) return svg;
  const n = trend.compared.length;
  const max = Math.max(1, ...trend.compared);
  const w = width / n;
  const total = trend.compared.reduce((a, b) => a + b, 0);
  const bad = trend.mismatch.reduce((a, b) => a + b, 0);
  const errors = (trend.error ?? []).reduce((a, b) => a + b, 0);
  const title = el('title', {});
  title.textContent = `last ${n} minutes: ${total} compared, ${bad} mismatches, ${errors} errors`;
  svg.append(title);
  trend.compared.forEach((c, i) => {
    if (!c) return;
    const hc = Math.max(1, (c / max) * height);
    svg.append(el('rect', { x: i * w, y: height - hc, width: Math.max(1, w - 0.5), height: hc, class: 'spark-compared' }));
    const m = trend.mismatch[i];
    const hm = m ? Math.max(1, (m / max) * height) : 0;
    if (m) svg.append(el('rect', { x: i * w, y: height - hm, width: Math.max(1, w - 0.5), height: hm, class: 'spark-mismatch' }));
    const e = trend.error?.[i];
    if (e) {
      const he = Math.max(1, (e / max) * height);
      svg.append(el('rect', { x: i * w, y: Math.max(0, height - hm - he), width: Math.max(1, w - 0.5), height: he, class: 'spark-error' }));
    }
  });
  return svg;
}
