/** What serving a request from the candidate is given: the plan for one request, the dependencies of the server. */
import type { ResolvedRoute, TandemConfig } from '../config';
import type { Logger } from '../log';
import type { TandemMetrics } from '../metrics';
import type { ExchangeProducer } from '../queue';
import type { Headers, Query, RequestRecord, ResponseRecord } from '../records';
import type { Rollout } from '../rollout';
import type { RouteRequestTranslation, TranslatorRegistry } from '../translate';
import type { Upstream } from '../upstream';

/**
 * A request the rollout sends to the candidate.
 *
 * @example
 * const plan: CandidatePlan = { route, params: { id: '1' }, customer: 'acme', phase: 'candidate', url: '/products/1', path: '/products/1', query: {}, rawQuery: '', requestId: 'r1' };
 */
export interface CandidatePlan {
  route: ResolvedRoute;
  params: Record<string, string>;
  customer: string;
  phase: 'candidate' | 'candidate-only';
  /** Path and query as the client sent them. */
  url: string;
  path: string;
  query: Query;
  /** The query as sent, with its `?` (`''` when none). */
  rawQuery: string;
  requestId: string;
}

/**
 * What serving from the candidate uses: both backends' upstream clients (made by the
 * composition root, at most `legacy.maxSockets` connections each), the route's
 * translators, where counts and exchanges go, and the config's capture cap, served-by
 * header and timeouts.
 */
export interface CandidateServerDeps {
  config: Pick<TandemConfig, 'capture' | 'servedByHeader' | 'candidate' | 'legacy'>;
  candidate: Upstream;
  legacy: Upstream;
  translators: Pick<TranslatorRegistry, 'forRoute'>;
  counters: { add(route: string, field: string): void };
  rollout: Pick<Rollout, 'countCustomer'>;
  producer: Pick<ExchangeProducer, 'enqueue'>;
  metrics?: Pick<TandemMetrics, 'candidateLatency'>;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Runs a route's request translator off the proxy's thread (the runtime's comparison threads) for big bodies. */
  translateRequest?: RouteRequestTranslation;
  /**
   * Runs a route's response translator off the proxy's thread (the runtime's comparison
   * threads) for big answers, given up after `timeoutMs` (see `Comparer.translateResponse`).
   */
  translateResponse?: (
    route: string,
    response: ResponseRecord,
    ctx: { request: RequestRecord; params: Record<string, string>; maxDecodedBytes?: number; timeoutMs: number },
  ) => Promise<{ status: number; headers: Headers; body: Buffer }>;
}
