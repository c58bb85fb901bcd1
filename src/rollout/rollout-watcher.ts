import type { RouteDefaults } from './state-codec';
import type { RolloutStore } from './rollout-store';
import type { RolloutState } from './types';

/**
 * Keeps an in-memory copy of the rollout state that the request path reads without
 * waiting on Redis. Every `pollMs` it reads the version key (one GET) and reloads
 * the state when it moved, so a change made anywhere applies here within
 * `pollMs` plus one round trip. While Redis is unreachable the last state stays in force.
 *
 * @example
 * const w = new RolloutWatcher(routes, 250);
 * w.start(store);
 * w.current().routes.product.phase;
 */
export class RolloutWatcher {
  private state: RolloutState;
  private store: RolloutStore | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private loaded = false;
  private failures = 0;

  constructor(
    private readonly routes: readonly RouteDefaults[],
    private readonly pollMs: number,
    private readonly onError: (e: Error, failures: number) => void = () => undefined,
  ) {
    this.state = defaultState(routes);
  }

  /** The state in force (configured defaults until the first load). */
  current(): RolloutState {
    return this.state;
  }

  /** Start polling `store`; the first load happens at once. */
  start(store: RolloutStore): Promise<void> {
    this.store = store;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    return this.poll();
  }

  /** Reload now (after a local change), whatever the version says. */
  refresh(): Promise<void> {
    return this.poll(true);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private poll(force = false): Promise<void> {
    if (this.polling) return force ? this.polling.then(() => this.poll(true)) : this.polling;
    this.polling = this.check(force).finally(() => (this.polling = null));
    return this.polling;
  }

  private async check(force: boolean): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      if (!force && this.loaded && (await store.version()) === this.state.version) return;
      this.state = await store.load(this.routes);
      this.loaded = true;
      this.failures = 0;
    } catch (e) {
      this.onError(e as Error, ++this.failures);
    }
  }
}

/**
 * The state before anything is stored: configured phases, no overrides.
 *
 * @example
 * defaultState([{ name: 'product', phase: 'shadow', sampleRate: 1 }]).routes.product.percentage; // 0
 */
export function defaultState(routes: readonly RouteDefaults[]): RolloutState {
  const out: RolloutState = { version: 0, routes: {}, groups: {} };
  for (const r of routes) out.routes[r.name] = { phase: r.phase, percentage: 0, sampleRate: r.sampleRate, customers: {}, groups: {} };
  return out;
}
