// The report's fetch helper: the same JSON API a script uses, with the session cookie
// and the CSRF header on writes. Views (and reports/rollout.js) receive it as `api`.

/** An API answer that was not 2xx. `status` is the HTTP status, `body` the parsed JSON (if any). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

/**
 * createApi(base, onUnauthorized) → { base, get(path), send(method, path, body), url(path) }
 * `path` is relative to the API root, e.g. '/routes?limit=50'.
 */
export function createApi(base, onUnauthorized = () => {}) {
  async function call(method, path, body) {
    const headers = { accept: 'application/json' };
    if (method !== 'GET' && method !== 'HEAD') headers['x-tandem-csrf'] = cookie('tandem_csrf');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { message: text.slice(0, 200) };
    }
    if (res.status === 401) onUnauthorized();
    if (!res.ok) throw new ApiError(res.status, json);
    return json;
  }
  return {
    base,
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
    url: (path) => `${base}${path}`,
  };
}
