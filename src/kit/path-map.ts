/** Path templates mapped between versions: `/api/v1/products/:id` → `/v2/products/:id`. */

import type { RequestStep } from './compose';
import type { TranslatableRequest } from '../translate/types';

interface Compiled {
  from: string;
  test: RegExp;
  names: string[];
  to: string;
}

/**
 * Rewrite the request path by the first matching template. `:name` matches one path
 * segment; its value comes from the route's path parameters when they have it, else
 * from the path (percent-decoded), and is percent-encoded again into the target. A path
 * no template matches throws (a translation error, not a guess), unless `otherwise`
 * says what to do.
 *
 * @example
 * mapPath({ '/api/v1/products/:id': '/v2/products/:id', '/api/v1/products': '/v2/products' })
 * // GET /api/v1/products/a%2Fb → GET /v2/products/a%2Fb
 */
export function mapPath(
  templates: Record<string, string>,
  o: { otherwise?: 'keep' | ((req: TranslatableRequest) => TranslatableRequest) } = {},
): RequestStep {
  const compiled: Compiled[] = Object.entries(templates).map(([from, to]) => {
    const names: string[] = [];
    const src = from
      .split('/')
      .map((seg) => (seg.startsWith(':') ? (names.push(seg.slice(1)), '([^/]+)') : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return { from, test: new RegExp(`^${src}/?$`), names, to };
  });
  return (req) => {
    for (const c of compiled) {
      const m = c.test.exec(req.path);
      if (!m) continue;
      const values: Record<string, string> = {};
      c.names.forEach((n, i) => (values[n] = req.params[n] ?? safeDecode(m[i + 1])));
      const path = c.to.replace(/:([A-Za-z_]\w*)/g, (whole, n: string) => (n in values ? encodeURIComponent(values[n]) : whole));
      return { ...req, path };
    }
    if (o.otherwise === 'keep') return req;
    if (o.otherwise) return o.otherwise(req);
    throw new Error(`cannot map ${req.path}: expected ${Object.keys(templates).join(' or ')}`);
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
