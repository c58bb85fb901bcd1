// What the mismatch page folds or summarises: headers that are not compared, charset
// parameters, noise and ignored paths (shown dimmed, apart from the counted diff), lists
// that were only reordered, who served the client, and what a candidate error was.

import { parseJsonShown } from './exact-json.js';

/** Path segments of `items[3].price`, `a.b`, `items[id=7].x`, `$headers.etag`: strings for keys, numbers for indices. */
export function pathSegments(path) {
  const out = [];
  for (const part of String(path).match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('[')) {
      const inner = part.slice(1, -1);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner === '*' ? '[*]' : `[${inner}]`);
    } else out.push(part);
  }
  return out;
}

/** Does a rule pattern (`**.ts`, `meta.**`, `items[*].id`, `a.*`) match the path or one of its ancestors? */
export function patternCovers(pattern, segments) {
  const p = pathSegments(pattern);
  const walk = (pi, si) => {
    if (pi === p.length) return true; // the pattern matched a prefix: the path is at or below it
    if (si > segments.length) return false;
    const seg = p[pi];
    if (seg === '**') {
      for (let k = si; k <= segments.length; k++) if (walk(pi + 1, k)) return true;
      return false;
    }
    if (si === segments.length) return false;
    const s = segments[si];
    const ok = seg === '*' ? typeof s === 'string' : seg === '[*]' ? typeof s === 'number' : seg === s;
    return ok && walk(pi + 1, si + 1);
  };
  return walk(0, 0);
}

/**
 * The candidate's body without the object fields legacy does not have at the same place,
 * the comparison's `allowAdded` rule (src/compare/diff-context.ts: an added field is not
 * counted, an added array element is); the removed values are returned with their paths
 * and why, to be shown dimmed as "not counted".
 */
export function dropAdded(legacy, candidate) {
  const removed = [];
  const fmt = (segs) => segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const visit = (l, c, segs) => {
    if (Array.isArray(l) && Array.isArray(c)) return c.map((x, i) => (i < l.length ? visit(l[i], x, [...segs, i]) : x));
    if (!isObject(l) || !isObject(c)) return c;
    const o = {};
    for (const [k, x] of Object.entries(c)) {
      if (Object.hasOwn(l, k)) o[k] = visit(l[k], x, [...segs, k]);
      else removed.push({ path: fmt([...segs, k]), value: x, why: 'only in the candidate (allowAdded)' });
    }
    return o;
  };
  return { kept: visit(legacy, candidate, []), removed };
}

/**
 * A parsed body without the paths the patterns cover; the removed values are returned
 * with their paths, to be shown dimmed as "not counted".
 */
export function pruneBody(value, patterns) {
  const removed = [];
  if (!patterns.length) return { kept: value, removed };
  const fmt = (segs) => segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
  const visit = (v, segs) => {
    if (segs.length && patterns.some((p) => patternCovers(p, segs))) {
      removed.push({ path: fmt(segs), value: v });
      return undefined;
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, [...segs, i]));
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) {
        const kept = visit(x, [...segs, k]);
        if (kept !== undefined || x === undefined) o[k] = kept;
      }
      return o;
    }
    return v;
  };
  return { kept: visit(value, []), removed };
}

/** Status and the compared headers (content-type by media type only), and the rest. */
export function splitHeaders(status, headers, hints) {
  const compared = new Set(hints?.comparedHeaders ?? ['content-type']);
  const mediaOnly = new Set(hints?.mediaTypeOnly ?? ['content-type']);
  const counted = [`HTTP ${status ?? '–'}`];
  const other = [];
  for (const k of Object.keys(headers ?? {}).sort()) {
    for (const v of [].concat(headers[k] ?? [])) {
      if (!compared.has(k)) other.push(`${k}: ${v}`);
      else if (mediaOnly.has(k) && String(v).includes(';')) {
        counted.push(`${k}: ${String(v).split(';')[0].trim().toLowerCase()}`);
        other.push(`${k}: ${v}   (parameters such as charset are not compared)`);
      } else counted.push(`${k}: ${v}`);
    }
  }
  return { counted: counted.join('\n'), other: other.join('\n') };
}

const canon = (v) => JSON.stringify(sortDeep(v));
function sortDeep(v) {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep(v[k])]),
    );
  return v;
}

function at(value, segs) {
  let v = value;
  for (const s of segs) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[s];
  }
  return v;
}

/** True when two arrays hold the same elements (as multisets) in a different order. */
export function sameElementsReordered(a, b) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const x = a.map(canon);
  const y = b.map(canon);
  if (x.every((s, i) => s === y[i])) return false;
  return canon([...x].sort()) === canon([...y].sort());
}

/**
 * Differences with every run under one reordered list replaced by one row
 * `{ path, kind: 'reordered', count }` ("same elements, different order").
 */
export function groupReordered(diffs, legacyBody, candidateBody) {
  const out = [];
  const grouped = new Map();
  // one check per list, not one per difference under it (1,000 differences in one list were 1,000 sorts of it)
  const reordered = new Map();
  const isReordered = (arr) => {
    const key = JSON.stringify(arr);
    if (!reordered.has(key)) reordered.set(key, sameElementsReordered(at(legacyBody, arr), at(candidateBody, arr)));
    return reordered.get(key);
  };
  for (const d of diffs) {
    const segs = pathSegments(d.path);
    let hit = null;
    for (let i = 0; i < segs.length; i++) {
      if (typeof segs[i] !== 'number') continue;
      const arr = segs.slice(0, i);
      if (isReordered(arr)) {
        hit = d.path.slice(0, d.path.indexOf(`[${segs[i]}]`));
        break;
      }
    }
    if (!hit) {
      out.push(d);
      continue;
    }
    let row = grouped.get(hit);
    if (!row) {
      row = { path: hit, kind: 'reordered', count: 0, legacy: undefined, candidate: undefined };
      grouped.set(hit, row);
      out.push(row);
    }
    row.count++;
  }
  return out;
}

/** Parse a stored body record (or a translated value) as JSON (as `parseJsonShown`), else undefined. */
export function parsedBody(recordOrValue, isRecord) {
  try {
    if (!isRecord) return typeof recordOrValue === 'string' ? parseJsonShown(recordOrValue) : recordOrValue;
    if (!recordOrValue || recordOrValue.truncated || recordOrValue.encoding !== 'utf8') return undefined;
    return parseJsonShown(recordOrValue.data);
  } catch {
    return undefined;
  }
}

/** What went wrong with the candidate, in words: "candidate answered 500", "timed out after 2 s". */
export function candidateFailure(ex) {
  const e = ex.candidateError;
  if (e) {
    const ms = /(\d+)\s*ms/.exec(e.message ?? '');
    if (e.kind === 'timeout') return ms ? `timed out after ${formatMs(Number(ms[1]))}` : 'timed out';
    if (e.kind === 'connect') return `could not connect to the candidate (${e.message})`;
    if (e.kind === 'reset') return `the candidate closed the connection (${e.message})`;
    if (e.kind === 'too_large') return `the candidate's response was too large (${e.message})`;
    return `${e.kind}: ${e.message}`;
  }
  if (ex.translationError) return `the ${ex.translationError.stage} translator failed: ${ex.translationError.message}`;
  if (ex.candidate && ex.candidate.status >= 500 && ex.legacy.status < 500)
    return `candidate answered ${ex.candidate.status} (legacy ${ex.legacy.status})`;
  return null;
}

const formatMs = (ms) => (ms >= 1000 && ms % 100 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** Who answered the client for this exchange. */
export function servedText(ex) {
  if (ex.source === 'replay') return 'nobody: replayed traffic (tandem replay)';
  if (ex.servedBy === 'candidate') return `the candidate: customer ${ex.customer} was served the candidate's translated response`;
  if (ex.servedBy === 'legacy-fallback') return `legacy, as fallback: customer ${ex.customer} is on the candidate, which failed`;
  return `legacy: customer ${ex.customer} was served by legacy (the candidate only shadowed)`;
}
