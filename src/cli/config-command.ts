import type { Command } from 'commander';
import { listenerCollisions, sideListenPort, unreachableRoutes, workerConcurrency, type CompareRules, type TandemConfig } from '../config';
import { describeRedisTarget, keySlot, redisTargetOf, storeKeys } from '../store';
import { NO_CUSTOMER_IDENTIFICATION } from '../rollout';
import { loadConfigOrExit } from './load-or-exit';
import { effectiveConfigFile, writtenSecrets, type SecretReference } from './effective-config';

/**
 * The resolved config as text: where traffic goes, how customers are identified, what is shadowed, the queue's
 * partitions when there are several, and each route with its phase, translator, write
 * mirroring, sample rate and compare rules.
 * Secrets (report and metrics tokens, webhook headers, the Redis password) are never printed.
 *
 * @example
 * process.stdout.write(describeConfig(loadConfigFile('tandem.yaml')));
 */
export function describeConfig(c: TandemConfig): string {
  const lines = [
    `listen     ${c.listen.host}:${c.listen.port}`,
    `legacy     ${c.legacy.url} (timeout ${c.legacy.timeoutMs} ms)`,
    `candidate  ${c.candidate.url} (timeout ${c.candidate.timeoutMs} ms, at most ${c.candidate.maxInFlight} in flight holding ${Math.round(c.candidate.maxInFlightBytes / 1024)} KiB of bodies)`,
    `redis      ${redisLine(c.redis)}, ${keysLine(c.redis)}`,
    `report     ${listenerAt(c, c.report.listen, 1)}${c.report.path}/ (token ${c.report.tokenGenerated ? 'generated at start' : 'configured'})`,
    `metrics    ${c.metrics.enabled ? `${listenerAt(c, c.ops.listen, 2)}${c.metrics.path}${c.metrics.token ? ' (token required)' : ''}` : 'off'}`,
    `health     ${c.health.enabled ? `${listenerAt(c, c.ops.listen, 2)}${c.health.livePath}, ${c.health.readyPath}` : 'off'}`,
    `customer   ${customerLine(c.customer)}`,
    `notify     ${notifyLine(c.notify)}`,
    `worker     ${c.worker.inProcess ? 'in process' : 'separate `tandem worker` processes'}, concurrency ${workerConcurrency(c.worker, c.worker.inProcess)}`,
    ...(c.queue.partitions > 1 ? [`queue      ${queueLine(c)}`] : []),
    '',
    `routes (${c.routes.length}; first match wins; anything else is proxied to legacy, never shadowed):`,
  ];
  const perRoute = c.redis.tagging === 'route';
  const header = ['name', 'match', 'phase', 'translator', 'writes', 'sample', ...(perRoute ? ['keys'] : []), 'compare'];
  const rows = c.routes.map((r) => [
    r.name,
    r.match,
    r.phase,
    r.translator ?? '(identity)',
    r.mirrorWrites ? 'mirrored' : 'not mirrored',
    String(r.sampleRate),
    ...(perRoute ? [tagLine(c.redis, storeKeys(c.redis).routeTag(r.name))] : []),
    rulesLine(r.rules),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) lines.push(`  ${row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]))).join('  ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Where a side listener (report: offset 1, ops: 2) will listen, as `host:port` (`sideListenPort`,
 * the rule `tandem serve` follows); the proxy's own address when mounted there (`'proxy'`).
 */
function listenerAt(c: TandemConfig, listen: TandemConfig['report']['listen'], offset: 1 | 2): string {
  const [host, port] = listen === 'proxy' ? [c.listen.host, c.listen.port] : [listen.host, sideListenPort(listen, c.listen.port, offset)];
  return `${host.includes(':') ? `[${host}]` : host}:${port === 0 ? '<a free port>' : port}`;
}

/** The queue's partitions (only shown when there are several): their hash tags and how producers spread over them. */
function queueLine(c: TandemConfig): string {
  const k = storeKeys(c.redis.prefix);
  const last = c.queue.partitions - 1;
  return `${c.queue.name} in ${c.queue.partitions} partitions, ${k.queueTag(0)} and ${k.queueTag(1)}${last > 1 ? ` … ${k.queueTag(last)}` : ''} (spread by ${c.queue.spread === 'even' ? 'job id, evenly' : 'route'}); every worker consumes all of them`;
}

/**
 * Where the keys are: the deployment's hash tag (`{shop}:…`) and, on a cluster, its slot;
 * under per-route tagging, that each route has its own tag (the routes table's `keys` column).
 */
function keysLine(r: TandemConfig['redis']): string {
  const deployment = `keys ${tagLine(r, storeKeys(r.prefix).queuePrefix)}:…`;
  return r.tagging === 'route' ? `${deployment}; each route's keys under its own hash tag (column keys)` : deployment;
}

/** A hash tag (`{shop:r1a2b3c4d}`) and, on a cluster, the slot (0-16383) every key under it lives in (`CLUSTER KEYSLOT` answers the same). */
function tagLine(r: TandemConfig['redis'], tag: string): string {
  return r.cluster ? `${tag} slot ${keySlot(tag)}` : tag;
}

/** `redis.url`, the cluster's seed nodes (and how many), or the embedded server; and where it came from. */
function redisLine(r: TandemConfig['redis']): string {
  const target = redisTargetOf(r);
  if (!target) return `embedded redis-server, data in ${r.dataDir}`;
  const from = r.urlFrom === 'config' ? '' : ` (${r.urlFrom})`;
  return r.cluster
    ? `${describeRedisTarget(target)} (Redis Cluster, ${r.cluster.nodes.length} seed node${r.cluster.nodes.length === 1 ? '' : 's'})${from}`
    : `${describeRedisTarget(target)}${from}`;
}

/**
 * How a request's customer is identified (rollout overrides and percentages need it); the
 * JWT key is a secret and only said to be there.
 */
function customerLine(c: TandemConfig['customer']): string {
  if (!c) return 'none: every request is `anonymous` (customer overrides and percentages never apply)';
  if ('resolve' in c) return 'a resolve function (middleware)';
  if (c.from !== 'jwt') return `${c.from} ${c.name}`;
  const verified = !c.jwtKey
    ? 'decoded only'
    : c.jwtAlgorithms
      ? `signature verified (${c.jwtAlgorithms.join(', ')})`
      : 'signature verified';
  return `jwt claim ${c.claim} of the bearer token in ${c.name ?? 'authorization'}, ${verified}`;
}

function notifyLine(n: TandemConfig['notify']): string {
  const to = n.webhookUrl ? `webhook ${new URL(n.webhookUrl).origin}/…` : 'log lines (no webhook)';
  const what = [
    n.newSignatures ? 'new signatures' : '',
    n.matchRateBelow !== undefined ? `match rate < ${n.matchRateBelow} over ${n.windowSeconds} s (min ${n.minCompared})` : '',
  ].filter(Boolean);
  return what.length ? `${what.join('; ')} -> ${to}` : 'off';
}

/**
 * How `config check` writes each compare rule. Every key of CompareRules must be here
 * (a mapped type over its keys), so a new rule cannot be left out of the compare column.
 */
const RULE_TEXT: { [K in keyof CompareRules]-?: (v: NonNullable<CompareRules[K]>) => string } = {
  ignore: (v) => (v.length ? `ignore ${v.join(',')}` : ''),
  noise: (v) => (v.length ? `noise ${v.join(',')}` : ''),
  arrayKeys: (v) =>
    Object.keys(v).length
      ? `keys ${Object.entries(v)
          .map(([k, f]) => `${k}:${f}`)
          .join(',')}`
      : '',
  unordered: (v) => (v.length ? `unordered ${v.join(',')}` : ''),
  numericTolerance: (v) => `tolerance ${v}`,
  allowAdded: (v) => (v === false ? 'added fields count' : ''),
  headers: (v) => (v.length ? `headers ${v.join(',')}` : ''),
};

/** The compare column: every rule the route compares under (its own over the `compare` defaults). */
export function rulesLine(r: CompareRules): string {
  const parts = (Object.keys(RULE_TEXT) as (keyof CompareRules)[]).map((k) =>
    r[k] === undefined ? '' : (RULE_TEXT[k] as (v: unknown) => string)(r[k]),
  );
  return parts.filter(Boolean).join('; ') || 'defaults';
}

/**
 * `tandem config check FILE` (or `-c FILE`, as every other command takes it): validate a
 * config (schema, route conflicts, translators) and print it resolved; warn (stderr, still
 * exit 0) about routes that can never match, and about a config without `customer`
 * identification (customer and group overrides would never apply). Exit 0 when valid, 2
 * naming every bad field otherwise (and when FILE and `-c` name two different files).
 *
 * @example
 * registerConfigCommand(program); // tandem config check tandem.yaml, or tandem config check -c tandem.yaml
 */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('work with a config file');
  config
    .command('check')
    .description('validate a config file (fields, route conflicts, translators) and print the resolved routes')
    .argument('[file]', 'config file (YAML or JSON) (default: "tandem.yaml")')
    .option('-c, --config <file>', 'config file, as the other commands take it (same as [file])')
    .option(
      '--json',
      "print the effective config as a config file (JSON, every default filled in) that `tandem config check` accepts back; each secret is printed as a ${VAR} reference (the file's own, or a TANDEM_* name), and the variables to set are listed on stderr",
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 valid, 2 invalid (every bad field is named on stderr).
Warns on stderr about a route an earlier one always wins over (a GET route also
takes HEAD), about routes without \`customer\` identification (customer and
group overrides and percentage rollouts never apply), and about a listener
(proxy, report, operations) on the address of a backend, where \`tandem serve\`
cannot start.

Examples:
  tandem config check tandem.yaml
  tandem config check -c tandem.yaml`,
    )
    .action((positional: string | undefined, o: { json?: boolean; config?: string }) => {
      if (positional !== undefined && o.config !== undefined && positional !== o.config) {
        process.stderr.write(`tandem config check: two config files given (${positional} and -c ${o.config}); give one\n`);
        process.exit(2);
      }
      const file = o.config ?? positional ?? 'tandem.yaml';
      const c = loadConfigOrExit(file);
      // Valid, but worth knowing: routes shadowed by an earlier one (first match wins).
      for (const w of unreachableRoutes(c.routes)) process.stderr.write(`warning: ${w}\n`);
      if (!c.customer && c.routes.length) process.stderr.write(`warning: ${NO_CUSTOMER_IDENTIFICATION}\n`);
      // a listener on a backend's address: `tandem serve` would fail to start (ERR_TANDEM_LISTEN_FAILED)
      for (const w of listenerCollisions(c)) process.stderr.write(`warning: ${w}\n`);
      if (o.json) {
        const { config: effective, references } = effectiveConfigFile(c, writtenSecrets(file));
        if (references.length) process.stderr.write(referencesNote(references));
        process.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
      } else process.stdout.write(`${file}: valid\n\n${describeConfig(c)}`);
    });
}

/**
 * The stderr note of `config check --json`: each variable the printed config references
 * for a secret (loading it where one is not set fails, naming it), and which secret.
 */
function referencesNote(references: readonly SecretReference[]): string {
  const lines = references.map(
    (r) => `  ${r.variable}  ${r.path}${r.asWritten ? ' (as the file wrote it)' : ' (set it to the value the file held)'}`,
  );
  return `note: secrets are printed as \${VAR} references; the printed config loads only where these are set:\n${lines.join('\n')}\n`;
}
