// Hash routes, so every view is a deep link: #/, #/route/<name>?since=1h&risk=high,
// #/mismatch/<id>, #/exchange/<id>, #/customers?route=x, #/rollout.

/** Parse location.hash into { view, arg, params }. */
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  const [view, ...rest] = path.split('/');
  return { view: view || 'overview', arg: rest.length ? decodeURIComponent(rest.join('/')) : '', params };
}

/** Build a hash link: link('route', 'product', { risk: 'high' }) → '#/route/product?risk=high'. Empty params are left out. */
export function link(view, arg = '', params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ''}${s ? `?${s}` : ''}`;
}

/** Navigate (adds a history entry). */
export function go(view, arg, params) {
  location.hash = link(view, arg, params);
}
