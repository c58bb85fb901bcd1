import { Command } from 'commander';
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
 * The `tandem` command line.
 *
 * @example
 * buildProgram().parseAsync(process.argv);
 */
export function buildProgram(): Command {
  const program = new Command('tandem')
    .description('Shadow-traffic comparison and translation: serve legacy, mirror to the candidate, diff, migrate customer by customer.')
    .version(require('../../../package.json').version as string)
    .showHelpAfterError()
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
  return program;
}

/**
 * Run the command line: a configuration or translator problem, or a listener that cannot
 * bind (`ERR_TANDEM_LISTEN_FAILED`: a port to change in the config or with `-p`), that
 * escapes a command exits 2 with its `ERR_TANDEM_*` code, anything else 1, as one line (no stack).
 *
 * @example
 * runCli(process.argv);
 */
export function runCli(argv: string[]): void {
  buildProgram()
    .parseAsync(argv)
    .catch((e: Error & { code?: unknown }) => {
      const code = typeof e.code === 'string' ? e.code : '';
      const config = /^ERR_TANDEM_(CONFIG|ROUTES|TRANSLATOR|LISTEN)/.test(code);
      process.stderr.write(`tandem: ${e.message}${code.startsWith('ERR_TANDEM') ? ` (${code})` : ''}\n`);
      process.exit(config ? 2 : 1);
    });
}

if (require.main === module) runCli(process.argv);
