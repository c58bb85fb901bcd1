import { Command, CommanderError } from 'commander';
import { MAIN_HELP } from './main-help';

/** A command's module: what registers it (its options and its action). */
type Register = (program: Command) => void;

/**
 * Every command, by name, in the order `tandem --help` lists them, each required only when
 * registered: a process holds the code of the command it runs, not the others' (`tandem
 * worker` holds neither the replay's nor the translator tools': 848 modules at idle instead
 * of 876, 0.5 MB less heap; what a worker needs, BullMQ and ioredis first, is most of it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Register> = {
  serve: () => (require('./serve-command') as typeof import('./serve-command')).registerServeCommand,
  worker: () => (require('./worker-command') as typeof import('./worker-command')).registerWorkerCommand,
  demo: () => (require('./demo-command') as typeof import('./demo-command')).registerDemoCommand,
  translate: () => (require('./translate-command') as typeof import('./translate-command')).registerTranslateCommand,
  replay: () => (require('./replay-command') as typeof import('./replay-command')).registerReplayCommand,
  'dry-run': () => (require('./dry-run-command') as typeof import('./dry-run-command')).registerDryRunCommand,
  suggest: () => (require('./suggest-command') as typeof import('./suggest-command')).registerSuggestCommand,
  config: () => (require('./config-command') as typeof import('./config-command')).registerConfigCommand,
  rediff: () => (require('./rediff-command') as typeof import('./rediff-command')).registerRediffCommand,
  rollout: () => (require('./rollout-command') as typeof import('./rollout-command')).registerRolloutCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The `tandem` command line. Usage errors (an unknown option, a missing required one, a bad
 * value) throw commander's `CommanderError` (`exitOverride`, inherited by every command) after
 * printing the one-line error and `(see tandem <command> --help)`; `runCli` exits 2 on them.
 *
 * `only` registers that command alone (when it is one of `COMMANDS`): `runCli` passes the
 * command a process runs, so nothing of the others is loaded. Without it every command is
 * registered (`tandem --help`, an unknown command's suggestions).
 *
 * @example
 * buildProgram().parseAsync(process.argv);
 * buildProgram('worker'); // `tandem worker` alone
 */
export function buildProgram(only?: string): Command {
  const program = new Command('tandem')
    .description('Shadow-traffic comparison and translation: serve legacy, mirror to the candidate, diff, migrate customer by customer.')
    .version(require('../../../package.json').version as string)
    .exitOverride()
    .addHelpText('after', MAIN_HELP);
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) COMMANDS[name]()(program);
  hintHelpAfterErrors(program, 'tandem');
  return program;
}

/** After a usage error, every command (subcommands too) points at its own --help instead of printing it whole. */
function hintHelpAfterErrors(cmd: Command, path: string): void {
  cmd.showHelpAfterError(`(see ${path} --help)`);
  for (const sub of cmd.commands) hintHelpAfterErrors(sub, `${path} ${sub.name()}`);
}

/**
 * Run the command line: a usage error (commander's, already printed) exits 2; a configuration
 * or translator problem, or a listener that cannot bind (`ERR_TANDEM_LISTEN_FAILED`: a port to
 * change in the config or with `-p`), that escapes a command exits 2 with its `ERR_TANDEM_*`
 * code, anything else 1, as one line (no stack). `--help` and `--version` exit 0.
 *
 * @example
 * runCli(process.argv);
 */
export function runCli(argv: string[]): void {
  // argv[2] is the command (`tandem [command] ...`: the program takes no options of its own but --help and --version).
  buildProgram(argv[2])
    .parseAsync(argv)
    .catch((e: Error & { code?: unknown }) => {
      if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
      const code = typeof e.code === 'string' ? e.code : '';
      const config = /^ERR_TANDEM_(CONFIG|ROUTES|TRANSLATOR|LISTEN)/.test(code);
      if (e.name === 'RedisStoppedAnswering') {
        // Its Redis answered at first, then went silent or away mid-run: where, why, and what was not done.
        process.stderr.write(`tandem ${argv[2]}: ${e.message}\n`);
        process.exit(1);
      }
      const notAnswering = redisNotAnswering(e);
      if (notAnswering !== null) {
        process.stderr.write(
          `tandem ${argv[2]}: Redis${notAnswering} is not answering: is it running, and are redis.url / REDIS_URL right?\n`,
        );
        process.exit(1);
      }
      process.stderr.write(`tandem: ${e.message}${code.startsWith('ERR_TANDEM') ? ` (${code})` : ''}\n`);
      process.exit(config ? 2 : 1);
    });
}

/**
 * When `e` says a one-shot command's Redis did not answer, where and why (` at
 * redis://host:port (connect ECONNREFUSED ...)`, no password; empty when unknown); else null.
 * Three ways: the first PING unanswered or refused (`RedisNotAnswering`), a command that
 * ran out of its retries (ioredis' `MaxRetriesPerRequestError`, named by the connection's
 * last error), or one that got no answer within its connection's timeout (`Command timed out`).
 */
function redisNotAnswering(e: Error): string | null {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (e.name === 'RedisNotAnswering') {
    const { redis, reason } = e as import('../store/one-shot-redis').RedisNotAnswering;
    return ` at ${redis} (${reason})`;
  }
  if (e.name === 'MaxRetriesPerRequestError') {
    // ioredis' own words name neither Redis nor the cause; the connection's last error does.
    const last = (require('../store/redis-connection') as typeof import('../store/redis-connection')).lastClientRedisError();
    return last ? ` at ${last.target} (${last.message})` : '';
  }
  if (/Command timed out/.test(e.message)) {
    const last = (require('../store/one-shot-redis') as typeof import('../store/one-shot-redis')).lastOneShotRedis();
    return last ? ` at ${last.redis} (no answer to a command within ${last.commandTimeoutMs / 1000} s)` : '';
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  return null;
}

if (require.main === module) runCli(process.argv);
