import { z } from 'zod';
import { optionalSecret } from './secret-schema';
import { healthSchema, metricsSchema, notifySchema } from './ops-schema';
import { customerSchema, rolloutSchema, servedByHeaderSchema } from './rollout-schema';
import { queueSchema, retentionSchema, workerSchema } from './pipeline-schema';

/** `METHOD /path/:param`, method `*` for any. */
const MATCH = /^(\*|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE)\s+(\/\S*)$/;

/** Which Host a backend gets: the client's (`client`, what a transparent proxy does) or its own URL's (`upstream`). */
const hostPolicy = z.enum(['client', 'upstream']).default('client');

const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** Rules deciding what counts as a difference. Route rules are merged over the defaults. */
export const compareRulesSchema = z.strictObject({
  /** Field paths to ignore; `*` matches one segment or array index, `**` any depth. */
  ignore: z.array(z.string().min(1)).optional(),
  /** Match array elements by a key: `{ items: "id" }`. */
  arrayKeys: z.record(z.string(), z.string().min(1)).optional(),
  /** Arrays compared without regard to order. */
  unordered: z.array(z.string().min(1)).optional(),
  /** Absolute tolerance for numbers. */
  numericTolerance: z.number().min(0).optional(),
  /** Fields present only in the candidate are not regressions (additive evolution). */
  allowAdded: z.boolean().optional(),
  /** Headers compared (lower-case). Defaults to content-type only. */
  headers: z.array(z.string().min(1)).optional(),
  /** Paths known to be noise: differences there are listed as noise (class `noise_only` when nothing else differs), never counted. */
  noise: z.array(z.string().min(1)).optional(),
});

export const routeSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only'),
  match: z.string().regex(MATCH, 'must look like "GET /products/:id"'),
  /** Name of a registered translator. */
  translator: z.string().min(1).optional(),
  phase: z.enum(['legacy', 'shadow', 'candidate', 'candidate-only']).default('shadow'),
  /** Mirror writes (POST, PUT, PATCH, DELETE) to the candidate: step 1, "write to both". */
  mirrorWrites: z.boolean().default(false),
  /** Share of matching requests shadowed, 0..1. */
  sampleRate: z.number().min(0).max(1).default(1),
  compare: compareRulesSchema.optional(),
});

/**
 * Where a side listener (the report, operations) listens: its own `host` and `port`
 * (without a port: the proxy's port + 1 for the report, + 2 for operations, or a free
 * port when the proxy's is 0), or `'proxy'` to mount it on the proxy's listener.
 *
 * @example
 * sideListenSchema.parse({}); // { host: '127.0.0.1' }
 */
export const sideListenSchema = z.union([
  z.literal('proxy'),
  z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).optional(),
  }),
]);

/** An address or CIDR range (IPv4 or IPv6), as express's `trust proxy` takes them. */
/** A Redis Cluster seed node: `host:port` (IPv6 in brackets). */
const clusterNode = z.string().regex(/^(?:[A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\]):\d{1,5}$/, 'must be host:port, like 127.0.0.1:7000');

const addressOrRange = z
  .string()
  .regex(
    /^(?:[0-9.]+|[0-9a-fA-F:.]+)(?:\/\d{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/,
    'must be an IP address, a CIDR range, or loopback/linklocal/uniquelocal',
  );

/** A missing (or empty: YAML `legacy:`) `legacy` or `candidate` says what is required, with an example; other problems keep zod's message. */
function requiredSide(key: string, example: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null
      ? `required: legacy.url and candidate.url are the least a config needs, e.g. ${key}: { url: ${example} }`
      : undefined;
}

export const configSchema = z.strictObject({
  listen: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().default('0.0.0.0'),
    })
    .prefault({}),
  legacy: z.strictObject(
    {
      url,
      /** A second legacy instance for noise cancellation; defaults to `url`. */
      repeatUrl: url.optional(),
      timeoutMs: z.number().int().positive().default(30000),
      /** Host legacy (and its noise repeat) gets: the client's, or legacy's own (`url`'s, also for `repeatUrl`). */
      host: hostPolicy,
      /**
       * Keep-alive connections at most on the path that serves clients: to legacy, and to
       * the candidate when a rollout phase has it serve clients in legacy's place.
       */
      maxSockets: z.number().int().positive().default(512),
    },
    { error: requiredSide('legacy', 'http://127.0.0.1:3001') },
  ),
  candidate: z.strictObject(
    {
      url,
      timeoutMs: z.number().int().positive().default(2000),
      /** Host the candidate gets (before its request translator, which may set another): the client's, or the candidate's own. */
      host: hostPolicy,
      /**
       * Cap on concurrent shadow requests per process; excess is dropped and counted
       * (`dropped:candidate_busy`). Shadows in flight are the served rate times the candidate's
       * latency: 512 holds 2,500 req/s against a candidate 200 ms slow (10,000 at 50 ms).
       */
      maxInFlight: z.number().int().positive().default(512),
      /**
       * Cap on the body bytes the shadows in flight hold (the request's and legacy's bodies,
       * and as much again for the candidate's answer); excess is dropped as `candidate_busy`
       * too. One shadow is always let through when none is in flight.
       */
      maxInFlightBytes: z
        .number()
        .int()
        .positive()
        .default(32 * 1024 * 1024),
    },
    { error: requiredSide('candidate', 'http://127.0.0.1:3002') },
  ),
  redis: z
    .strictObject({
      /** Without a URL (or cluster) Tandem starts its own redis-server child process. */
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
        .optional(),
      /**
       * A Redis Cluster instead of one Redis: seed nodes as `host:port` (ioredis discovers the
       * others). Routes spread over its slots (see `tagging`). Exclusive with `url`.
       */
      cluster: z.strictObject({ nodes: z.array(clusterNode).min(1, 'needs at least one host:port') }).optional(),
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('tandem'),
      /** Data folder of the embedded redis-server. */
      dataDir: z.string().default('.tandem/redis'),
      /**
       * How keys are hash-tagged: `deployment` (every key `{prefix}`: one slot, key names as
       * they always were) or `route` (each route's keys and records `{prefix:r<mark>}`: routes
       * spread over a cluster's slots). Default: `route` with a cluster, else `deployment`.
       */
      tagging: z.enum(['deployment', 'route']).optional(),
    })
    .refine((r) => !(r.url && r.cluster), { path: ['cluster'], message: 'set either redis.url or redis.cluster, not both' })
    .prefault({}),
  report: z
    .strictObject({
      path: z
        .string()
        .regex(/^\/[A-Za-z0-9_\-/]*$/, 'must be an absolute path like /_tandem')
        .default('/_tandem'),
      /** Without a token one is generated at start and logged. */
      token: optionalSecret(),
      /** The report's own listener (its own origin); `'proxy'` mounts it under `path` on the proxy's port. */
      listen: sideListenSchema.prefault({}),
      /**
       * Which proxies in front of the report to believe about the client address (for the
       * sign-in limiter): a hop count, or the proxies' addresses and ranges. `false`: the socket's peer.
       */
      trustProxy: z.union([z.literal(false), z.number().int().min(1).max(32), z.array(addressOrRange).min(1)]).default(false),
      /**
       * Addresses and ranges the sign-in lockout never applies to (the operators' own hosts,
       * CI runners): their attempts are neither counted nor refused for others' failures, so
       * a guesser sharing their address or IPv6 /64 cannot lock them out. Their own wrong
       * tokens are not limited either: list only hosts you control.
       */
      lockoutExempt: z.array(addressOrRange).default([]),
    })
    .prefault({}),
  /** Metrics and health on a listener of their own (`listen`), or on the proxy's port (`'proxy'`). */
  ops: z
    .strictObject({
      listen: sideListenSchema.prefault({}),
    })
    .prefault({}),
  capture: z
    .strictObject({
      /** Bodies larger than this are streamed untouched and recorded as too_large. */
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * 1024),
    })
    .prefault({}),
  queue: queueSchema,
  worker: workerSchema,
  redact: z
    .strictObject({
      headers: z.array(z.string()).default([]),
      /** JSON body paths, e.g. `**.password`, `card.number`. */
      bodyPaths: z.array(z.string()).default([]),
      /** Query parameter and form field names (any case), besides the credentials always redacted (`access_token`, `api_key`...). */
      query: z.array(z.string()).default([]),
      /** HMAC key of redacted-value fingerprints; else TANDEM_REDACT_KEY, else one generated and kept in Redis. */
      key: optionalSecret(),
    })
    .prefault({}),
  retention: retentionSchema,
  compare: compareRulesSchema.default({}),
  noise: z
    .strictObject({
      /** Share of shadowed GET/HEAD requests sent a second time to legacy (or legacy.repeatUrl). */
      repeatRate: z.number().min(0).max(1).default(0),
      /** Learned noise: a path is noise for a route once it differed legacy-vs-legacy in at least this share of repeated requests... */
      learnRate: z.number().gt(0).max(1).default(0.5),
      /** ...and the route has at least this many repeated requests. */
      learnSamples: z.number().int().positive().default(5),
      /** While a route has fewer repeated requests than learnSamples, un-repeated GET/HEAD exchanges wait up to this long (ms since arrival) for the noise model; 0 never waits. */
      warmupMs: z.number().int().min(0).default(10000),
    })
    .prefault({}),
  /** Modules (JS, or TS in development) that export translators. */
  translators: z.array(z.string()).default([]),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  metrics: metricsSchema,
  health: healthSchema,
  notify: notifySchema,
  routes: z.array(routeSchema).default([]),
  /** How a request's customer is identified (rollout); without it every request is `anonymous`. */
  customer: customerSchema.optional(),
  /** Readiness guard and rollout propagation. */
  rollout: rolloutSchema,
  /** Response header naming the backend that served (`false`: off). */
  servedByHeader: servedByHeaderSchema,
});

/** Options as a user writes them (defaults optional). */
export type TandemOptions = z.input<typeof configSchema>;
/** Options after validation, every default filled. */
export type ParsedConfig = z.output<typeof configSchema>;
export type RouteOptions = z.output<typeof routeSchema>;
export type CompareRules = z.output<typeof compareRulesSchema>;
