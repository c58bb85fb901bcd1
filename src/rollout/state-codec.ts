import { PHASES, type Phase, type RouteRollout } from './types';

/**
 * What a route has before anything is stored: its configured phase and sample rate.
 *
 * @example
 * const d: RouteDefaults = { name: 'product', phase: 'shadow', sampleRate: 1 };
 */
export interface RouteDefaults {
  name: string;
  phase: Phase;
  sampleRate: number;
  /** Why the route is never compared (a write route without `mirrorWrites`), see `neverComparedReason`. */
  notCompared?: string;
}

/**
 * A route's rollout from its Redis hash (values are JSON text: `phase`, `percentage`,
 * `sampleRate`, `customer:<id>`, `group:<name>`), over the configured defaults.
 * Fields that do not parse or hold an impossible value are ignored.
 *
 * @example
 * decodeRoute({ phase: '"candidate"', 'customer:acme': '"shadow"' }, { name: 'p', phase: 'shadow', sampleRate: 1 }).customers; // { acme: 'shadow' }
 */
export function decodeRoute(hash: Record<string, string>, d: RouteDefaults): RouteRollout {
  // Records keyed by customer or group ids have no prototype, so an id like `__proto__` is just a key.
  const out: RouteRollout = {
    phase: d.phase,
    percentage: 0,
    sampleRate: d.sampleRate,
    customers: Object.create(null),
    groups: Object.create(null),
  };
  for (const [field, text] of Object.entries(hash)) {
    const v = parseJson(text);
    if (field === 'phase' && isPhase(v)) out.phase = v;
    else if (field === 'percentage' && typeof v === 'number' && v >= 0 && v <= 100) out.percentage = v;
    else if (field === 'sampleRate' && typeof v === 'number' && v >= 0 && v <= 1) out.sampleRate = v;
    else if (field.startsWith('customer:') && isPhase(v)) out.customers[field.slice(9)] = v;
    else if (field.startsWith('group:') && isPhase(v)) out.groups[field.slice(6)] = v;
  }
  return out;
}

/**
 * Groups from their Redis hash (name → JSON array of customer ids); bad entries are ignored.
 *
 * @example
 * decodeGroups({ beta: '["acme"]' }); // { beta: ['acme'] }
 */
export function decodeGroups(hash: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, text] of Object.entries(hash)) {
    const v = parseJson(text);
    if (Array.isArray(v)) out[name] = v.filter((c): c is string => typeof c === 'string');
  }
  return out;
}

/**
 * Whether a value is a phase name.
 *
 * @example
 * isPhase('candidate'); // true
 */
export function isPhase(v: unknown): v is Phase {
  return typeof v === 'string' && (PHASES as readonly string[]).includes(v);
}

/**
 * JSON.parse that gives undefined instead of throwing.
 *
 * @example
 * parseJson('[1]'); // [1]
 * parseJson('{'); // undefined
 */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
