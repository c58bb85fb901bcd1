import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { decimal, wholeNumber } from './number-options';
import { closeOneShotRedis, ONE_SHOT_COMMAND_MS, oneShotLost, openOneShotRedis, RedisStoppedAnswering } from '../store';
import { joinRedis, noRedisMessage } from '../runtime';
import {
  describedReadiness,
  overridesWarning,
  RolloutError,
  RolloutService,
  RolloutStore,
  routeDefaults,
  type RolloutState,
} from '../rollout';
import { formatAudit, formatReadiness, formatRolloutStatus } from './rollout-format';
import { loadConfigOrExit } from './load-or-exit';
import { redactorFor, storedCustomerFor } from '../redact';
import { NO_REDIS, REDIS_OF_CONFIG, wrapHelp } from './main-help';

type Common = { config?: string; as?: string; json?: boolean };

/**
 * `tandem rollout status|set|customer|group|readiness|audit`: read and change the
 * rollout directly in the Redis of the config (`redis.url`, else `REDIS_URL`; without one,
 * the embedded Redis of a running `tandem serve`, see `joinRedis`); every
 * running instance applies a change within a second. Changes are audited as
 * `cli:<user>`. Exit codes: 2 bad input or config, 3 refused by the readiness guard.
 *
 * @example
 * registerRolloutCommand(program); // tandem rollout customer product acme candidate
 */
export function registerRolloutCommand(program: Command): void {
  const rollout = withCommon(
    program
      .command('rollout')
      .description('per-customer, per-route phases (legacy, shadow, candidate, candidate-only), kept in Redis and applied live'),
  ).addHelpText(
    'after',
    `\n${wrapHelp(`Exit codes: 0 done, 1 failure (e.g. Redis unreachable), 2 bad input, unknown route or group, bad config, or ${NO_REDIS}, 3 refused by the readiness guard, 4 \`readiness\`: not ready.`)}`,
  );
  // Its commands are listed without `[options]` (each one's --help lists them): with it the
  // longest term (`customer [options] <route> <customer> <phase>`) left commander a description
  // column under its 40-character minimum, and it printed every line of the lists unwrapped.
  rollout.configureHelp({
    subcommandTerm: (c) => [c.name(), ...c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`))].join(' '),
  });
  // Each subcommand takes the common options itself, so its --help lists them and they work after it.
  const sub = (spec: string) => withCommon(rollout.command(spec));
  sub('status')
    .description('every route with its phase, percentage, sample rate and overrides; the groups')
    .action((_o, cmd: Command) => run(cmd, (svc) => svc.state()));
  sub('set <route>')
    .description('change a route: its phase, percentage rollout or shadow sample rate')
    .option('--phase <phase>', 'legacy | shadow | candidate | candidate-only')
    .option('--percentage <n>', 'customers (by hash) moved to candidate, 0-100', wholeNumber(0, 100))
    .option('--sample-rate <r>', 'share of shadowed requests compared, 0-1', decimal(0, 1))
    .option('--force', 'override the readiness guard')
    .action((route: string, o: { phase?: string; percentage?: number; sampleRate?: number; force?: boolean }, cmd: Command) =>
      phaseTyped(o.phase, false)
        ? run(cmd, (svc, actor) =>
            svc.setRoute(route, { phase: o.phase, percentage: o.percentage, sampleRate: o.sampleRate, force: o.force }, { actor }),
          )
        : undefined,
    );
  sub('customer <route> <customer> <phase>')
    .description('override the phase of one customer on a route ("clear" removes the override)')
    .option('--force', 'override the readiness guard')
    .action((route: string, customer: string, phase: string, o: { force?: boolean }, cmd: Command) =>
      phaseTyped(phase, true)
        ? run(cmd, (svc, actor) =>
            phase === 'clear'
              ? svc.clearCustomer(route, customer, { actor })
              : svc.setCustomer(route, customer, overridePhase(phase), { actor, force: o.force }),
          )
        : undefined,
    );
  sub('group <name>')
    .description("set a group's members, delete it, or set its phase on a route")
    .option('--members <ids>', 'comma-separated customer ids (replaces the members)', list)
    .option('--delete', 'delete the group and its phase on every route')
    .option('--route <route>', 'with --phase: the route the group phase applies to')
    .option('--phase <phase>', 'the group phase on --route ("clear" removes it)')
    .option('--force', 'override the readiness guard')
    .action((name: string, o: { members?: string[]; delete?: boolean; route?: string; phase?: string; force?: boolean }, cmd: Command) =>
      !phaseTyped(o.phase, true)
        ? undefined
        : run(cmd, async (svc, actor) => {
            if (!o.members && !o.delete && !(o.route && o.phase))
              throw new RolloutError('invalid', 'give --members, --delete, or --route with --phase');
            let state: RolloutState | undefined;
            if (o.delete) state = await svc.deleteGroup(name, { actor });
            if (o.members) state = await svc.setGroup(name, o.members, { actor });
            if (o.route && o.phase)
              state =
                o.phase === 'clear'
                  ? await svc.clearGroupPhase(o.route, name, { actor })
                  : await svc.setGroupPhase(o.route, name, overridePhase(o.phase), { actor, force: o.force });
            return state!;
          }),
    );
  sub('readiness <route>')
    .description('match rate over the last N compared requests, and whether the guard would allow candidate')
    .option('--customer <id>', 'the figures of one customer on the route')
    .addHelpText(
      'after',
      `\n${wrapHelp('Exits 0 when ready, 4 when not (the message says whether the volume or the match rate is short, or that the route is never compared: a write route without mirrorWrites).')}`,
    )
    .action((route: string, o: { customer?: string }, cmd: Command) =>
      run(
        cmd,
        async (svc) => {
          const r = await svc.readiness(route, o.customer);
          if (!r.ready) process.exitCode = 4;
          // --json prints the API's readiness object (GET /rollout/readiness/:route), words included
          return describedReadiness(r);
        },
        formatReadiness,
      ),
    );
  sub('audit')
    .description('rollout changes, newest first: when, who, what, previous -> next')
    .option('-n, --limit <n>', 'entries to show', wholeNumber(1), 50)
    .action((o: { limit: number }, cmd: Command) => run(cmd, (svc) => svc.audit(o.limit), formatAudit));
}

/** The options every rollout command takes (no defaults here, so a value given before or after the subcommand both work). */
function withCommon(cmd: Command): Command {
  return cmd
    .option(
      '-c, --config <file>',
      `config file (YAML or JSON): routes, redis.prefix, rollout, and the Redis: ${REDIS_OF_CONFIG} (default: "tandem.yaml")`,
    )
    .option('--as <user>', 'name recorded in the audit log as cli:<user> (default: the OS user)')
    .option('--json', 'print JSON');
}

async function run<T>(
  cmd: Command,
  fn: (svc: RolloutService, actor: string) => Promise<T>,
  format: (v: T) => string = (v) => formatRolloutStatus(v as RolloutState),
): Promise<void> {
  const o = cmd.optsWithGlobals<Common>();
  const config = loadConfigOrExit(o.config ?? 'tandem.yaml');
  const target = await joinRedis(config.redis);
  // The message begins with the command's name already (no `tandem rollout:` prefix before it).
  if (!target) {
    process.stderr.write(noRedisMessage('tandem rollout', o.config ?? 'tandem.yaml', config.redis.dataDir));
    process.exitCode = 2;
    return;
  }
  // Fails with `RedisNotAnswering` (5 s) or a command's timeout, never waits for ever (see ONE_SHOT_COMMAND_MS).
  const redis = await openOneShotRedis(target, ONE_SHOT_COMMAND_MS.rollout);
  try {
    const routes = routeDefaults(config.routes);
    const store = new RolloutStore(redis, config.redis, config.rollout.auditSize);
    // Readiness by customer looks the customer up as records store it (secret `;name=value` parameters fingerprinted).
    const redactor = redactorFor(config.redact, redis, store.keys.redactKey, config.capture.maxDecodedBytes);
    const svc = new RolloutService(store, routes, config.rollout, undefined, storedCustomerFor(redactor));
    const out = await fn(svc, `cli:${o.as ?? safeUser()}`);
    process.stdout.write(o.json ? `${JSON.stringify(out, null, 2)}\n` : format(out));
    const warning = isState(out) ? overridesWarning(out, config.customer) : undefined;
    if (warning) process.stderr.write(`tandem rollout: warning: ${warning}\n`);
  } catch (e) {
    const lost = oneShotLost(redis);
    if (lost) throw new RedisStoppedAnswering(lost, READS.has(cmd.name()) ? 'nothing was changed' : ROLLOUT_CHANGE_UNKNOWN);
    if (!(e instanceof RolloutError)) throw e;
    fail(e.code === 'not_ready' ? 3 : 2, cliWords(e.message));
  } finally {
    await closeOneShotRedis(redis);
  }
}

/** The subcommands that only read. */
const READS = new Set(['status', 'readiness', 'audit']);
const ROLLOUT_CHANGE_UNKNOWN = 'the change may or may not have been applied: `tandem rollout status` shows which once Redis answers';

function isState(v: unknown): v is RolloutState {
  return !!v && typeof v === 'object' && 'routes' in v && 'groups' in v;
}

/** The service speaks the API's field names; on the command line the user typed flags. */
function cliWords(message: string): string {
  return message
    .replace(/send "force": true to override/, 'pass --force to override')
    .replace(/^give phase, percentage or sampleRate$/, 'give --phase, --percentage or --sample-rate')
    .replace(/^sampleRate must be/, '--sample-rate must be')
    .replace(/^percentage must be/, '--percentage must be')
    .replace(/^customers must be a list/, '--members must be a list')
    .replace(/\(PUT \/rollout\/groups\/([^)]+)\)/, '(tandem rollout group $1 --members ...)');
}

function fail(code: number, message: string): void {
  process.stderr.write(`tandem rollout: ${message}\n`);
  process.exitCode = code;
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

const PHASES = ['legacy', 'shadow', 'candidate', 'candidate-only'];

/**
 * Whether a phase typed on the command line is one (or none was typed), checked before any
 * Redis is opened: a mistyped phase is bad input (exit 2, one line), whether or not a Redis
 * answers. `clear`: the command also takes `clear`.
 */
function phaseTyped(phase: string | undefined, clear: boolean): boolean {
  if (phase === undefined || PHASES.includes(phase) || (clear && phase === 'clear')) return true;
  fail(2, `phase must be one of ${PHASES.join(', ')}${clear ? ', or clear to remove the override' : ''} (got ${JSON.stringify(phase)})`);
  return false;
}

/** An override's phase as typed: where `clear` is also taken, a wrong one is told so (the service names only the four). */
function overridePhase(phase: string): string {
  if (!PHASES.includes(phase))
    throw new RolloutError(
      'invalid',
      `phase must be one of ${PHASES.join(', ')}, or clear to remove the override (got ${JSON.stringify(phase)})`,
    );
  return phase;
}
