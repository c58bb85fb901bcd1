/**
 * Routes that can never match because an earlier route matches every request they
 * would (first match wins): same or wider method (`*` takes any, `GET` takes HEAD
 * too), and a pattern that covers theirs segment by segment (`:param` covers any
 * one segment, a trailing `*` any rest). One warning per unreachable route.
 *
 * @example
 * unreachableRoutes([{ name: 'all', match: 'GET /p/:id' }, { name: 'one', match: 'HEAD /p/7' }]);
 * // ['routes.1 "one" (HEAD /p/7) can never match: routes.0 "all" (GET /p/:id) matches every request it would (a GET route takes HEAD too)']
 */
export function unreachableRoutes(routes: readonly { name: string; match: string }[]): string[] {
  const parsed = routes.map((r) => {
    const [method, pattern] = r.match.trim().split(/\s+/);
    return { method, segments: pattern.split('/').slice(1) };
  });
  const out: string[] = [];
  parsed.forEach((later, j) => {
    const i = parsed.findIndex(
      (earlier, k) => k < j && methodCovers(earlier.method, later.method) && patternCovers(earlier.segments, later.segments),
    );
    if (i === -1) return;
    const viaHead = parsed[i].method === 'GET' && later.method === 'HEAD' ? ' (a GET route takes HEAD too)' : '';
    out.push(
      `routes.${j} "${routes[j].name}" (${routes[j].match}) can never match: routes.${i} "${routes[i].name}" (${routes[i].match}) matches every request it would${viaHead}`,
    );
  });
  return out;
}

function methodCovers(a: string, b: string): boolean {
  return a === '*' || a === b || (a === 'GET' && b === 'HEAD');
}

function patternCovers(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '*' && i === a.length - 1) return true;
    if (i >= b.length) return false;
    if (b[i] === '*') return false;
    if (a[i].startsWith(':')) continue;
    if (a[i] !== b[i]) return false;
  }
  return a.length === b.length;
}
