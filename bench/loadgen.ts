import { runFixedRate } from './fixed-rate';
import { saturate, type LoadTool } from './saturate';

/** One load run, as the orchestrator asks a pinned load-generator child for it. */
export type LoadRequest =
  | { mode: 'saturate'; tool: LoadTool; url: string; connections: number; durationSec: number }
  | { mode: 'fixed'; url: string; rate: number; durationSec: number };

/**
 * Run one load request and return its result (the child entry point prints it as JSON).
 *
 * @example
 * await runLoad({ mode: 'fixed', url: 'http://127.0.0.1:8080/api/2k/1', rate: 1000, durationSec: 5 });
 */
export function runLoad(r: LoadRequest): Promise<unknown> {
  return r.mode === 'saturate' ? saturate(r) : runFixedRate(r);
}

if (require.main === module) {
  runLoad(JSON.parse(process.argv[2]) as LoadRequest).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}
