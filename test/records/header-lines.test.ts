import { headerMapOf, requestHeaderLines as flatLines, type Headers } from '../../src/records';

/** `requestHeaderLines` gives the lines flat; as pairs here, for the reference's shape. */
function requestHeaderLines(...a: Parameters<typeof flatLines>): [string, string][] {
  const flat = flatLines(...a);
  expect(flat.length % 2).toBe(0);
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/**
 * `requestHeaderLines` as it was before lines naming each header once took a path of their
 * own: the reference the current function must agree with, pair for pair.
 */
function reference(headers: Headers, lines: readonly string[], drop: ReadonlySet<string>): [string, string][] {
  const FIRST_ONLY = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization']);
  const joined = (lower: string, values: readonly string[]): string | string[] =>
    lower === 'set-cookie' ? [...values] : FIRST_ONLY.has(lower) ? values[0] : values.join(lower === 'cookie' ? '; ' : ', ');
  const out: [string, string][] = [];
  const written = new Set<string>();
  const writeMap = (name: string, lower: string) => {
    written.add(lower);
    const v = headers[lower];
    if (v === undefined || drop.has(lower)) return;
    for (const one of Array.isArray(v) ? v : [v]) out.push([name, one]);
  };
  const sent = new Map<string, { values: string[]; last: number }>();
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const lower = lines[i].toLowerCase();
    const s = sent.get(lower) ?? { values: [], last: 0 };
    s.values.push(lines[i + 1]);
    s.last = i;
    sent.set(lower, s);
  }
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const lower = lines[i].toLowerCase();
    const s = sent.get(lower)!;
    const v = headers[lower];
    const was = joined(lower, s.values);
    const same = Array.isArray(v) ? Array.isArray(was) && v.length === was.length && v.every((x, k) => x === was[k]) : v === was;
    // Repeated lines of the names Node keeps the first of are relayed one by one too; Host and Content-Length never.
    const lineByLine = same && (s.values.length === 1 || (lower !== 'host' && lower !== 'content-length'));
    const extended = !same && typeof v === 'string' && typeof was === 'string' && v.startsWith(`${was},`) ? v.slice(was.length) : null;
    if (drop.has(lower) || v === undefined) written.add(lower);
    else if (lineByLine || extended !== null) {
      written.add(lower);
      out.push([lines[i], extended !== null && i === s.last ? `${lines[i + 1]}${extended}` : lines[i + 1]]);
    } else if (!written.has(lower)) writeMap(lines[i], lower);
  }
  for (const lower of Object.keys(headers)) if (!written.has(lower)) writeMap(lower, lower);
  return out;
}

/** A small deterministic generator (mulberry32), so a failure names its case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Host',
  'host',
  'Accept',
  'X-Forwarded-For',
  'Set-Cookie',
  'set-cookie',
  'Cookie',
  'Content-Length',
  'Content-Type',
  'Authorization',
  'X-Request-Id',
  'X-A',
  'x-a',
];
const VALUES = ['a', 'b', '1.2.3.4', 'shop.example', '0', ''];

describe('requestHeaderLines', () => {
  it('gives the pairs the general path gives, for lines naming each header once and for repeated ones', () => {
    const r = random(20);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    let unique = 0;
    for (let n = 0; n < 5000; n++) {
      const lines: string[] = [];
      for (let k = Math.floor(r() * 7); k > 0; k--) lines.push(pick(NAMES), pick(VALUES));
      const headers: Headers = headerMapOf(lines);
      // What a proxy, a Host policy or a translator does to the map the lines gave.
      for (const name of Object.keys(headers)) {
        const c = r();
        if (c < 0.1) delete headers[name];
        else if (c < 0.2) headers[name] = `${String(headers[name])}, 10.0.0.1`;
        else if (c < 0.3) headers[name] = pick(VALUES);
        else if (c < 0.35) headers[name] = [pick(VALUES), pick(VALUES)];
        else if (c < 0.4) headers[name] = [pick(VALUES)];
      }
      if (r() < 0.3)
        headers[pick(['x-request-id', 'x-tandem-shadow', 'X-Upper', 'set-cookie'])] = r() < 0.5 ? pick(VALUES) : [pick(VALUES)];
      const drop = new Set(r() < 0.3 ? [pick(NAMES).toLowerCase()] : []);
      if (new Set(lines.filter((_, i) => i % 2 === 0).map((x) => x.toLowerCase())).size * 2 === lines.length) unique++;
      expect([n, requestHeaderLines(headers, lines, undefined, drop)]).toEqual([n, reference(headers, lines, drop)]);
    }
    // Both paths were taken often.
    expect(unique).toBeGreaterThan(1000);
    expect(unique).toBeLessThan(4000);
  });

  it('relays repeated lines of a name Node keeps only the first of one by one, unless that header changed', () => {
    const lines = ['Content-Type', 'text/a', 'Authorization', 'Basic one', 'content-type', 'text/b', 'authorization', 'Basic two'];
    const none = new Set<string>();
    expect(requestHeaderLines(headerMapOf(lines), lines, undefined, none)).toEqual([
      ['Content-Type', 'text/a'],
      ['Authorization', 'Basic one'],
      ['content-type', 'text/b'],
      ['authorization', 'Basic two'],
    ]);
    // A translator's content-type: written once, at the first line's place; the Authorization lines stay as sent.
    expect(requestHeaderLines({ ...headerMapOf(lines), 'content-type': 'text/c' }, lines, undefined, none)).toEqual([
      ['Content-Type', 'text/c'],
      ['Authorization', 'Basic one'],
      ['authorization', 'Basic two'],
    ]);
    // Two Content-Length (or Host) lines are never written: the map's value, once.
    const framed = ['Host', 'a.example', 'Content-Length', '2', 'host', 'b.example', 'content-length', '2'];
    expect(requestHeaderLines(headerMapOf(framed), framed, undefined, none)).toEqual([
      ['Host', 'a.example'],
      ['Content-Length', '2'],
    ]);
  });

  it('relays odd names and values byte for byte: mixed case, repeats in other cases, obs-fold and high bytes, inherited names ignored', () => {
    const lines = ['X-MiXeD', 'a', 'x-mixed', 'b', 'ACCEPT', 'text/a,\t text/b', 'X-Odd', 'caf\u00e9 \u00ff', 'X-Fold', 'one\r\n two'];
    const none = new Set<string>();
    expect(requestHeaderLines(headerMapOf(lines), lines, undefined, none)).toEqual([
      ['X-MiXeD', 'a'],
      ['x-mixed', 'b'],
      ['ACCEPT', 'text/a,\t text/b'],
      ['X-Odd', 'caf\u00e9 \u00ff'],
      ['X-Fold', 'one\r\n two'],
    ]);
    // Lines naming each header once (the one-pass path), names in any case, a map with a prototype holding names.
    const once = ['Host', 'h', 'X-A', '1', 'accept', '*/*'];
    const map = Object.assign(Object.create({ inherited: 'no' }) as Headers, headerMapOf(once), { 'x-request-id': 'r1' });
    expect(requestHeaderLines(map, once, undefined, none)).toEqual([
      ['Host', 'h'],
      ['X-A', '1'],
      ['accept', '*/*'],
      ['x-request-id', 'r1'],
    ]);
    expect(requestHeaderLines({ ...map, 'set-cookie': ['s=1', 's=2'] }, once, undefined, new Set(['x-a']))).toEqual([
      ['Host', 'h'],
      ['accept', '*/*'],
      ['x-request-id', 'r1'],
      ['set-cookie', 's=1'],
      ['set-cookie', 's=2'],
    ]);
  });
});
