import { OVERFLOW_CUSTOMER } from '../store';
import { decidePhase, groupsByCustomer } from './decide-phase';
import { RolloutError } from './errors';
import { readinessOf, refusalMessage, type ReadinessSettings } from './readiness';
import type { RolloutStore, RolloutChange } from './rollout-store';
import type { RouteDefaults } from './state-codec';
import { checkCustomer, checkGroup, checkMembers, checkNumber, checkPhase, invalid } from './validate-input';
import { servesCandidate, type AuditEntry, type Phase, type Readiness, type RolloutState } from './types';

/**
 * A change to a route's rollout (any subset).
 *
 * @example
 * const u: RouteUpdate = { phase: 'candidate', force: false };
 */
export interface RouteUpdate {
  phase?: unknown;
  percentage?: unknown;
  sampleRate?: unknown;
  force?: boolean;
}

/**
 * Every rollout operation the API, the CLI and the report use: validated, guarded
 * by readiness (moving a route, a group or a customer to a candidate phase, or
 * raising a percentage, needs the match rate unless `force`), and audited.
 * `onChange` runs after each write (the local instance reloads at once).
 *
 * @example
 * const svc = new RolloutService(store, routes, { threshold: 0.99, window: 200, minCompared: 20 });
 * await svc.setCustomer('product', 'acme', 'candidate', { actor: 'api' });
 */
export class RolloutService {
  private readonly defaults: Map<string, RouteDefaults>;

  constructor(
    readonly store: RolloutStore,
    routes: readonly RouteDefaults[],
    readonly settings: ReadinessSettings,
    private readonly onChange: () => void | Promise<void> = () => undefined,
    /** A customer id as records store it (secret `;name=value` parameters fingerprinted, see `storedCustomerFor`). */
    private readonly storedCustomer: (customer: string) => Promise<string> = (c) => Promise.resolve(c),
  ) {
    this.defaults = new Map(routes.map((r) => [r.name, r]));
  }

  /** The whole state, configured phases as defaults. */
  state(): Promise<RolloutState> {
    return this.store.load([...this.defaults.values()]);
  }

  async setRoute(route: string, u: RouteUpdate, o: { actor: string }): Promise<RolloutState> {
    const d = this.route(route);
    if (u.phase === undefined && u.percentage === undefined && u.sampleRate === undefined)
      throw invalid('give phase, percentage or sampleRate');
    const phase = u.phase === undefined ? undefined : checkPhase(u.phase);
    const percentage = u.percentage === undefined ? undefined : checkNumber(u.percentage, 'percentage', 0, 100, true);
    const sampleRate = u.sampleRate === undefined ? undefined : checkNumber(u.sampleRate, 'sampleRate', 0, 1, false);
    const now = (await this.state()).routes[route];
    const movesIn =
      (phase !== undefined && servesCandidate(phase) && !servesCandidate(now.phase)) ||
      (percentage !== undefined && percentage > now.percentage && !servesCandidate(phase ?? now.phase));
    const forced = await this.guard(movesIn, u.force, `route "${route}"`, phase && servesCandidate(phase) ? phase : 'candidate', route);
    const base = { actor: o.actor, target: route, forced, hash: { route } };
    if (phase !== undefined) await this.write({ ...base, field: 'phase', value: phase, action: 'route.phase', defaultPrevious: d.phase });
    if (percentage !== undefined)
      await this.write({ ...base, field: 'percentage', value: percentage, action: 'route.percentage', defaultPrevious: 0 });
    if (sampleRate !== undefined)
      await this.write({ ...base, field: 'sampleRate', value: sampleRate, action: 'route.sampleRate', defaultPrevious: d.sampleRate });
    return this.state();
  }

  async setCustomer(route: string, customer: string, phaseIn: unknown, o: { actor: string; force?: boolean }): Promise<RolloutState> {
    this.route(route);
    checkCustomer(customer);
    const phase = checkPhase(phaseIn);
    const state = await this.state();
    const current = decidePhase(state.routes[route], customer, groupsByCustomer(state.groups).get(customer) ?? []).phase;
    const forced = await this.guard(
      servesCandidate(phase) && !servesCandidate(current),
      o.force,
      `customer "${customer}" on route "${route}"`,
      phase,
      route,
      customer,
    );
    await this.write({
      hash: { route },
      field: `customer:${customer}`,
      value: phase,
      action: 'customer.phase',
      target: `${route}/customers/${customer}`,
      actor: o.actor,
      forced,
    });
    return this.state();
  }

  async clearCustomer(route: string, customer: string, o: { actor: string }): Promise<RolloutState> {
    this.route(route);
    if (!(customer in (await this.state()).routes[route].customers))
      throw new RolloutError('not_found', `customer "${customer}" has no override on route "${route}"`);
    await this.write({
      hash: { route },
      field: `customer:${customer}`,
      value: undefined,
      action: 'customer.phase',
      target: `${route}/customers/${customer}`,
      actor: o.actor,
    });
    return this.state();
  }

  async setGroup(group: string, customers: unknown, o: { actor: string }): Promise<RolloutState> {
    checkGroup(group);
    const members = checkMembers(customers);
    await this.write({ hash: 'groups', field: group, value: members, action: 'group.members', target: `groups/${group}`, actor: o.actor });
    return this.state();
  }

  /** Delete a group and its phase on every route (each recorded), so a group created later under that name starts with none. */
  async deleteGroup(group: string, o: { actor: string }): Promise<RolloutState> {
    checkGroup(group);
    const state = await this.state();
    if (!state.groups[group]) throw new RolloutError('not_found', `group "${group}" does not exist`);
    for (const [route, r] of Object.entries(state.routes))
      if (group in r.groups)
        await this.write({
          hash: { route },
          field: `group:${group}`,
          value: undefined,
          action: 'group.phase',
          target: `${route}/groups/${group}`,
          actor: o.actor,
        });
    await this.write({
      hash: 'groups',
      field: group,
      value: undefined,
      action: 'group.members',
      target: `groups/${group}`,
      actor: o.actor,
    });
    return this.state();
  }

  async setGroupPhase(route: string, group: string, phaseIn: unknown, o: { actor: string; force?: boolean }): Promise<RolloutState> {
    this.route(route);
    checkGroup(group);
    const phase = checkPhase(phaseIn);
    const state = await this.state();
    if (!state.groups[group])
      throw new RolloutError('not_found', `group "${group}" does not exist; create it first (PUT /rollout/groups/${group})`);
    const current = state.routes[route].groups[group] ?? state.routes[route].phase;
    const forced = await this.guard(
      servesCandidate(phase) && !servesCandidate(current),
      o.force,
      `group "${group}" on route "${route}"`,
      phase,
      route,
    );
    await this.write({
      hash: { route },
      field: `group:${group}`,
      value: phase,
      action: 'group.phase',
      target: `${route}/groups/${group}`,
      actor: o.actor,
      forced,
    });
    return this.state();
  }

  async clearGroupPhase(route: string, group: string, o: { actor: string }): Promise<RolloutState> {
    this.route(route);
    checkGroup(group);
    const state = await this.state();
    if (!state.groups[group] && !(group in state.routes[route].groups))
      throw new RolloutError('not_found', `group "${group}" does not exist`);
    await this.write({
      hash: { route },
      field: `group:${group}`,
      value: undefined,
      action: 'group.phase',
      target: `${route}/groups/${group}`,
      actor: o.actor,
    });
    return this.state();
  }

  audit(limit: number): Promise<AuditEntry[]> {
    return this.store.audit(Math.min(1000, Math.max(1, Math.floor(limit) || 50)));
  }

  /** Match figures of a route (or of one customer on it) over the window. */
  async readiness(route: string, customer?: string): Promise<Readiness> {
    const { notCompared } = this.route(route);
    // Results are stored under the customer id as redacted (`acme;token=x` under its fingerprint): look it up so.
    const stored = customer === undefined ? undefined : await this.storedCustomer(customer);
    const r: Readiness = readinessOf(await this.store.outcomes(route, this.settings.window, stored), this.settings);
    if (notCompared) return { ...r, notCompared };
    if (stored !== undefined && r.compared === 0 && (await this.store.countedAsOther(route, stored)))
      return { ...r, countedAs: OVERFLOW_CUSTOMER };
    return r;
  }

  private async guard(
    applies: boolean,
    force: boolean | undefined,
    subject: string,
    phase: Phase,
    route: string,
    customer?: string,
  ): Promise<boolean> {
    if (!applies) return false;
    const r = await this.readiness(route, customer);
    if (r.ready) return false;
    if (force === true) return true;
    throw new RolloutError('not_ready', refusalMessage(subject, phase, r), r);
  }

  private async write(c: RolloutChange): Promise<void> {
    await this.store.change(c);
    await this.onChange();
  }

  private route(name: string): RouteDefaults {
    const d = this.defaults.get(name);
    if (!d)
      throw new RolloutError(
        'unknown_route',
        `no configured route is named "${name}" (configured: ${[...this.defaults.keys()].join(', ') || 'none'})`,
      );
    return d;
  }
}
