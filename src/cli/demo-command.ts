import type { Command } from 'commander';
import type { runDemo } from '../demo/run-demo';
import { onShutdown } from './load-or-exit';
import { port, wholeNumber } from './number-options';

/**
 * `tandem demo`: everything on one machine, nothing to configure.
 *
 * @example
 * registerDemoCommand(program);
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run sample legacy and candidate APIs with Tandem in front, send sample traffic, print what differs')
    .option('-p, --port <port>', 'Tandem port (a free one is picked if taken)', port, 8080)
    .option('-n, --requests <n>', 'sample requests to send', wholeNumber(0), 200)
    .option('--once', 'print the summary and exit instead of serving until Ctrl-C')
    .action(async (opts: { port: number; requests: number; once?: boolean }) => {
      // The demo's sample APIs and traffic are loaded when it runs: every other command never holds them.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runDemo: run } = require('../demo/run-demo') as { runDemo: typeof runDemo };
      const starting = run({ port: opts.port, requests: opts.requests, once: !!opts.once });
      // Registered before anything starts, so a Ctrl-C during start-up still stops the embedded Redis.
      onShutdown(async () => (await starting).stop());
      const demo = await starting;
      if (opts.once) {
        await demo.stop();
        process.exit(0);
      }
      process.stdout.write('\nserving the report until Ctrl-C\n');
    });
}
