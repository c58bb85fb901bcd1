import type { Command } from 'commander';
import { wholeNumber } from './number-options';
import type { exchangesFromDryRun, exchangesFromRedis, suggestTranslator } from '../suggest';
import { joinRedis, noRedisMessage } from '../runtime';
import { loadConfigOrExit } from './load-or-exit';
import { writeOutputFile } from './write-output';
import { REDIS_OF_CONFIG } from './main-help';

/** The suggestion code, loaded when the command runs: every other command never holds it. */
function suggest(): {
  exchangesFromDryRun: typeof exchangesFromDryRun;
  exchangesFromRedis: typeof exchangesFromRedis;
  suggestTranslator: typeof suggestTranslator;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../suggest') as ReturnType<typeof suggest>;
}

interface SuggestFlags {
  config: string;
  route?: string;
  fromDryRun?: string;
  limit: number;
  name?: string;
  importFrom: string;
  out?: string;
}

/**
 * `tandem suggest`: infer a route's mapping from its stored exchanges (or a dry run's) and
 * print a draft translator on the kit. Exit codes: 0 done, 1 failed, 2 bad config or input.
 *
 * @example
 * registerSuggestCommand(program); // tandem suggest --route product -c tandem.yaml --out product.ts
 */
export function registerSuggestCommand(program: Command): void {
  program
    .command('suggest')
    .description(
      'infer the translator a route needs from pairs of legacy and candidate answers, and print it as a draft module built on the translator kit, each rule with its evidence',
    )
    .option('--route <name>', 'the route (required with stored exchanges; with --from-dry-run, default: its only route)')
    .option('--from-dry-run <file>', 'read the exchanges from a file written by tandem dry-run --json or --save (no Redis)')
    .option('-c, --config <file>', `config file: redis.prefix of the stored exchanges, and their Redis: ${REDIS_OF_CONFIG}`, 'tandem.yaml')
    .option('--limit <n>', 'newest stored exchanges to read', wholeNumber(1), 500)
    .option('--name <name>', 'translator name in the draft (default: <route>-suggested)')
    .option('--import-from <module>', 'module the draft imports the kit from', 'tandem')
    .option('--out <file>', 'write the draft there instead of stdout (the evidence summary still goes to stderr)')
    .addHelpText(
      'after',
      `
It compares legacy's answers with the candidate's raw answers (before any
response translator) and the requests each side got, and proposes: path
templates, pagination and sort re-encoded (page/limit, offset/limit,
_page/_per_page...; sort=-price) and renamed query parameters (when the
candidate was sent something else), envelopes ({ items, total } against a bare
list), arrays reordered by a key, renamed fields, fields moved into or out of a
nested object (price against pricing.amount), merged fields
(name = firstName + " " + lastName), type changes ("12.50" against 12.5), fields
only the candidate has, and error bodies. A rule is proposed when at least 90%
of the pairs that could show it do; each carries "n of m pairs" and
counterexamples. Fields only legacy has are listed as not translatable.

Examples:
  tandem suggest --route product -c tandem.yaml --out translators/product.ts
  tandem dry-run -c tandem.yaml --requests traffic.ndjson --save dry-run.json
  tandem suggest --from-dry-run dry-run.json --route product`,
    )
    .action(async (o: SuggestFlags) => {
      const exchanges = o.fromDryRun ? await suggest().exchangesFromDryRun(o.fromDryRun).catch(fail) : await fromRedis(o);
      const routes = [...new Set(exchanges.map((e) => e.route))];
      const route =
        o.route ??
        (routes.length === 1
          ? routes[0]
          : fail(new Error(`--route is needed: the exchanges are of ${routes.length ? routes.join(', ') : 'no route'}`)));
      if (o.fromDryRun && o.route && !routes.includes(o.route))
        fail(new Error(`${o.fromDryRun} has no exchange of route "${o.route}" (its routes: ${routes.join(', ') || 'none'})`));
      const s = suggest().suggestTranslator(exchanges, { route, name: o.name, importFrom: o.importFrom });
      if (!s.pairs) fail(new Error(`no exchange of route "${route}" has a candidate answer to learn from`));
      process.stderr.write(
        `route ${route}: ${s.pairs} pairs, ${s.rules.length} findings\n${s.rules.map((r) => `  ${r.text} (${r.support} of ${r.of})`).join('\n')}\n`,
      );
      if (o.out) await writeOutputFile('tandem suggest', '--out', o.out, s.draft);
      else process.stdout.write(s.draft);
    });
}

async function fromRedis(o: SuggestFlags) {
  if (!o.route) fail(new Error('--route is needed (or --from-dry-run FILE)'));
  const config = loadConfigOrExit(o.config);
  const target = await joinRedis(config.redis);
  if (!target) {
    // The message begins with the command's name already (no `tandem suggest:` prefix before it).
    process.stderr.write(noRedisMessage('tandem suggest --route', o.config, config.redis.dataDir));
    process.exit(2);
  }
  const exchanges = await suggest().exchangesFromRedis(target!, config.redis, o.route!, o.limit);
  // A route with stored exchanges may have left the config since; one with neither is a typo.
  if (!exchanges.length && !config.routes.some((r) => r.name === o.route))
    fail(new Error(`no configured route is named "${o.route}" (configured: ${config.routes.map((r) => r.name).join(', ') || 'none'})`));
  return exchanges;
}

function fail(e: Error): never {
  process.stderr.write(`tandem suggest: ${e.message}\n`);
  process.exit(2);
}
