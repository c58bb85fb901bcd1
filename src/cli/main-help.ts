/**
 * Where a command that works on Tandem's data finds its Redis, in the order they win: the
 * words of every such command's `--config` help (worker, replay, rediff, suggest, rollout).
 *
 * @example
 * cmd.option('-c, --config <file>', `config file (YAML or JSON); its Redis: ${REDIS_OF_CONFIG}`, 'tandem.yaml');
 */
export const REDIS_OF_CONFIG =
  'redis.url or redis.cluster, else REDIS_CLUSTER_NODES or REDIS_URL (without any: the embedded Redis of a running `tandem serve`)';

/**
 * The exit-code words for a command that found no Redis (exit 2).
 *
 * @example
 * `2 bad usage, or ${NO_REDIS}`;
 */
export const NO_REDIS = 'no Redis (none in the config or the environment, and no `tandem serve` running its embedded one)';

/** Commander's help width when the output is no terminal; every line of a help fits it. */
export const HELP_WIDTH = 80;

/**
 * A paragraph of help text wrapped to `width` columns at blanks (a word longer than a line
 * keeps its own line), for text built from parts such as `NO_REDIS`.
 *
 * @example
 * wrapHelp('Exit codes: 0 done, 1 failure ...'); // lines of at most 80 characters, joined by \n
 */
export function wrapHelp(text: string, width = HELP_WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * What `tandem --help` prints after the command list: the environment, the
 * endpoints a running Tandem serves, and the common ways to run it.
 *
 * @example
 * program.addHelpText('after', MAIN_HELP);
 */
export const MAIN_HELP = `
Environment:
  REDIS_URL            Redis to use when the config has no redis.url (else serve
                       starts its own, and rollout, replay, worker, rediff and
                       suggest use that one while serve runs)
  REDIS_CLUSTER_NODES  a Redis Cluster instead (host:port,host:port,...) when
                       the config names no Redis; wins over REDIS_URL
  TANDEM_REPORT_TOKEN  report token when the config has no report.token
  TANDEM_REDACT_KEY    HMAC key of redacted-value fingerprints when the config
                       has no redact.key
  TANDEM_LOG_LEVEL     log level (fatal, error, warn, info, debug, trace,
                       silent); overrides log.level
  TANDEM_LOG_FORMAT    json or pretty: log lines as JSON or readable (default:
                       pretty on a terminal, else JSON)

Endpoints of \`tandem serve\` (paths and listeners configurable; all three URLs
are logged at start):
  proxy (listen.port, 8080)    every path goes to legacy, shadowed on
                               configured routes
  report (report.listen, 127.0.0.1:8081)
    /_tandem/   the report and its API (report token)
  operations (ops.listen, 127.0.0.1:8082)
    /healthz    200 while the process runs
    /readyz     200 when Redis answers, the in-process worker runs and legacy
                accepts connections; else 503
    /metrics    Prometheus metrics (Bearer metrics.token when set)

Deployments:
  tandem serve -c tandem.yaml                   # one process: proxy, worker,
                                                # embedded Redis
  tandem serve -c tandem.yaml --processes auto  # one serving process per core,
                                                # sharing the ports and Redis
  tandem serve -c tandem.yaml --no-worker       # proxy only (redis.url or
                                                # REDIS_URL), plus:
  tandem worker -c tandem.yaml --metrics-port 9465
                                 # as many workers as needed, on the same Redis

Before shadowing live traffic:
  tandem config check -c tandem.yaml   # validate, print the resolved routes
  tandem dry-run -c tandem.yaml --requests traffic.ndjson
                        # both live backends, no Redis: match rate and causes
  tandem suggest --from-dry-run dry-run.json --route product
                        # draft a translator from the answers' differences
  tandem replay yesterday.har -c tandem.yaml   # compare on recorded traffic

Moving customers to the candidate (README: Rollout):
  tandem rollout readiness product     # match rate over the last N compared
  tandem rollout customer product acme candidate  # serve acme from candidate
  tandem rollout set product --percentage 10   # then 10% of customers, by hash

Run \`tandem <command> --help\` for a command's options.

Exit codes: 0 done, 1 failure at run time, 2 bad usage (an unknown option, a
missing or bad value), a bad config, or a port that cannot be bound; some
commands add their own (see their --help).`;
