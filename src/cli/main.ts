import { Command, CommanderError } from 'commander';
import { registerDemoCommand } from './demo-command';
import { registerServeCommand } from './serve-command';
import { registerTranslateCommand } from './translate-command';
import { registerWorkerCommand } from './worker-command';
import { registerReplayCommand } from './replay-command';
import { registerConfigCommand } from './config-command';
import { MAIN_HELP } from './main-help';
import { registerRediffCommand } from './rediff-command';
import { registerRolloutCommand } from './rollout-command';
import { registerDryRunCommand } from './dry-run-command';
import { registerSuggestCommand } from './suggest-command';

/**
 * The `tandem` command line. Usage errors (an unknown option, a missing required one, a bad
 * value) throw commander's `CommanderError` (`exitOverride`, inherited by every command) after
 * printing the one-line error and `(see tandem <command> --help)`; `runCli` exits 2 on them.
 *
 * @example
 * buildProgram().parseAsync(process.argv);
 */
export function buildProgram(): Command {
  const program = new Command('tandem')
    .description('Shadow-traffic comparison and translation: serve legacy, mirror to the candidate, diff, migrate customer by customer.')
    .version(require('../../../package.json').version as string)
    .exitOverride()
    .addHelpText('after', MAIN_HELP);
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerDemoCommand(program);
  registerTranslateCommand(program);
  registerReplayCommand(program);
  registerDryRunCommand(program);
  registerSuggestCommand(program);
  registerConfigCommand(program);
  registerRediffCommand(program);
  registerRolloutCommand(program);
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
  buildProgram()
    .parseAsync(argv)
    .catch((e: Error & { code?: unknown }) => {
      if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
      const code = typeof e.code === 'string' ? e.code : '';
      const config = /^ERR_TANDEM_(CONFIG|ROUTES|TRANSLATOR|LISTEN)/.test(code);
      process.stderr.write(`tandem: ${e.message}${code.startsWith('ERR_TANDEM') ? ` (${code})` : ''}\n`);
      process.exit(config ? 2 : 1);
    });
}

if (require.main === module) runCli(process.argv);
