import { randomBytes } from 'node:crypto';
import type { TandemConfig } from '../config';
import type { ComparisonResult, ExchangeRecord } from '../records';
import type { Redactor } from '../redact';
import { createCustomerIdentifier } from '../rollout';
import type { ShadowDispatcher } from '../shadow';
import { closeUpstream, type Upstream } from '../upstream';
import { createRedactorFor, createShadowFor, createTranslatorsFor, createUpstreamFor } from '../runtime';
import { processExchange } from '../worker/process-exchange';
import { callLegacyFor, prepareRequest, skipOf } from '../replay/prepare-request';
import type { ReplayRequest } from '../replay/replay-request';

/** Header on every dry-run request (legacy and candidate), so backends can tell. */
export const DRY_RUN_MARK = 'x-tandem-dry-run';

/**
 * What became of one request of a dry run.
 *
 * @example
 * const o: DryRunOutcome = { kind: 'skipped', reason: 'unmatched' };
 */
export type DryRunOutcome =
  | { kind: 'compared'; route: string; result: ComparisonResult; exchange: ExchangeRecord }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; route: string; reason: string };

/**
 * Sends requests to both live backends the way live shadowing does, without Redis:
 * legacy first, then the route's request translator and the candidate through the
 * same shadow dispatcher, the same redaction, and the comparison engine of the worker
 * (`processExchange`) under the config's rules. Runtime rules and learned noise, which
 * live in Redis, do not apply. Routes in phase `legacy` and writes (unless
 * `mirrorWrites`) are skipped, as in live traffic; `sampleRate` does not apply.
 *
 * @example
 * const runner = new DryRunner(config, { concurrency: 4 });
 * const outcome = await runner.run({ method: 'GET', path: '/api/v1/products/1', query: {}, rawQuery: '', headers: {}, headerLines: [], body: null });
 * await runner.close();
 */
export class DryRunner {
  private readonly translators;
  private readonly legacy: Upstream;
  private readonly shadow: ShadowDispatcher;
  private readonly redact: Redactor;
  private readonly identify;
  private readonly waiting = new Map<string, (ex: ExchangeRecord) => void>();
  private readonly maxInFlight: number;

  constructor(
    private readonly config: TandemConfig,
    o: { concurrency: number },
  ) {
    this.translators = createTranslatorsFor(config);
    // No Redis here: the deployment's key when configured, else one for this run (fingerprints only need to agree within it).
    this.redact = createRedactorFor(config, config.redact.key ?? randomBytes(32))!;
    this.identify = createCustomerIdentifier(config.customer);
    this.legacy = createUpstreamFor(config, 'legacy', o.concurrency);
    this.shadow = createShadowFor(config, {
      maxInFlight: (this.maxInFlight = Math.max(config.candidate.maxInFlight, o.concurrency)),
      translators: this.translators,
      enqueue: (ex) => this.waiting.get(ex.id)?.(this.redact.exchange(ex)),
      count: () => undefined,
    });
  }

  /** Why this request would not be sent (`unmatched`, `legacy_phase`, `write`), or null. */
  skip(req: ReplayRequest): string | null {
    return skipOf(this.config.routes, req);
  }

  /** Send one request to legacy and, translated, to the candidate; compare the answers. */
  async run(req: ReplayRequest): Promise<DryRunOutcome> {
    const p = prepareRequest(req, {
      routes: this.config.routes,
      identify: this.identify,
      maxBodyBytes: this.config.capture.maxBodyBytes,
      mark: DRY_RUN_MARK,
    });
    if ('skip' in p) return { kind: 'skipped', reason: p.skip };
    const route = p.route;
    const out = await callLegacyFor(this.legacy, p);
    if ('failed' in out) return { kind: 'failed', route: route.name, reason: out.failed };
    const draft = out.draft;
    if (this.shadow.active >= this.maxInFlight) return { kind: 'failed', route: route.name, reason: 'candidate_busy' };
    const exchange = await new Promise<ExchangeRecord>((done) => {
      this.waiting.set(draft.id, done);
      this.shadow.dispatch(draft);
    }).finally(() => this.waiting.delete(draft.id));
    const { result } = await processExchange(exchange, {
      translators: this.translators,
      rulesFor: (name) => this.config.routes.find((r) => r.name === name)?.rules ?? this.config.compare,
      maxDecompressedBytes: Math.max(8 * this.config.capture.maxBodyBytes, 8 << 20),
      redact: this.redact,
    });
    return { kind: 'compared', route: route.name, result, exchange };
  }

  /** Close the upstream sockets once nothing is in flight. */
  async close(): Promise<void> {
    await this.shadow.idle();
    this.shadow.close();
    closeUpstream(this.legacy);
  }
}
