/** A compiled `METHOD /path/:param` pattern. */
export interface RouteMatcher {
  method: string;
  pattern: string;
  /** Path parameters when the request matches, otherwise null. */
  match(method: string, path: string): Record<string, string> | null;
}

/**
 * Compile `GET /products/:id` (`*` as method for any, `*` as a trailing segment for the rest).
 *
 * @example
 * compileMatch('GET /products/:id').match('GET', '/products/7'); // { id: '7' }
 */
export function compileMatch(spec: string): RouteMatcher {
  const [method, pattern] = spec.trim().split(/\s+/);
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (seg === '*') return '(?:.*)';
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const re = new RegExp(`^${source}/?$`);
  return {
    method,
    pattern,
    match(m, path) {
      if (method !== '*' && method !== m && !(method === 'GET' && m === 'HEAD')) return null;
      const found = re.exec(path);
      if (!found) return null;
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = safeDecode(found[i + 1])));
      return params;
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
