import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { wholeNumber } from './number-options';
import { z } from 'zod';
import { builtinTranslators } from '../../translators';
import { decodeBody, encodeBody, parseJsonExact, stringifyExact, type Headers, type RequestRecord } from '../records';
import {
  createTranslatorRegistry,
  loadTranslatorModules,
  parseTranslatableBody,
  toTranslatableRequest,
  translateRequest,
  translateResponse,
  TranslationFailure,
  TranslatorError,
  TRANSLATOR_ERRORS,
  type TranslatableResponse,
} from '../translate';
import { loadConfigOrExit } from './load-or-exit';

/**
 * What `runTranslate` needs.
 *
 * @example
 * const opts: TranslateCommandOptions = { translator: 'mine', file: 'sample.json', modules: ['./translators/mine.ts'] };
 */
export interface TranslateCommandOptions {
  /** Translator name: a builtin or one exported by `modules`. */
  translator: string;
  /** Sample JSON file: `{ "request": {…}, "response"?: {…}, "route"?: "…" }`. */
  file: string;
  /** Translator modules to load (.js, or .ts in development), relative to `baseDir`. */
  modules?: string[];
  /** Default `both` (the response side only when the sample has one). */
  direction?: 'request' | 'response' | 'both';
  /** Budget per call; default the translator's own, else 50 ms. */
  timeoutMs?: number;
  /** Default the working directory. */
  baseDir?: string;
  /** The config file whose routes were looked up (`-c`), named when the translator is unknown. */
  configFile?: string;
}

/**
 * Bad input to `tandem translate` (a sample file that cannot be read or is not a sample,
 * a route with no translator): exit code 2, like every bad value.
 */
export class TranslateInputError extends Error {
  override readonly name = 'TranslateInputError';
}

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const strings = z.record(z.string(), z.union([scalar, z.array(scalar)]));
const lowerKeys = (h: Record<string, string | string[]>): Headers =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const sampleSchema = z.object({
  route: z.string().optional(),
  request: z.object({
    method: z.string().default('GET'),
    path: z.string().startsWith('/', 'must start with "/"'),
    query: strings.default({}),
    headers: strings.default({}).transform(lowerKeys),
    body: z.unknown().optional(),
    params: z.record(z.string(), scalar).default({}),
  }),
  response: z
    .object({ status: z.number().int().min(100).max(599), headers: strings.default({}).transform(lowerKeys), body: z.unknown().optional() })
    .optional(),
});

/**
 * Run one translator on a sample file and return pretty JSON of the translated
 * request and/or response (bodies shown parsed), to develop a translator without
 * traffic. Rejects with a `TranslatorError` (unknown translator, bad module), a
 * `TranslationFailure`, or a `TranslateInputError` describing what is wrong with the sample.
 *
 * @example
 * console.log(await runTranslate({ translator: 'products-v2', file: 'translators/samples/products-v2.json' }));
 */
export async function runTranslate(opts: TranslateCommandOptions): Promise<string> {
  const sample = readSample(opts.file);
  const baseDir = opts.baseDir ?? process.cwd();
  const registry = createTranslatorRegistry([...builtinTranslators, ...loadTranslatorModules(opts.modules ?? [], baseDir)], []);
  const t = registry.get(opts.translator);
  if (!t)
    throw new TranslatorError(
      TRANSLATOR_ERRORS.UNKNOWN,
      `translator "${opts.translator}" not found (available: ${registry.names.join(', ')}; ${
        opts.configFile
          ? `nor is it a route of ${opts.configFile}`
          : 'to name a route instead, pass -c with your config file, which resolves route names'
      })`,
    );
  const direction = opts.direction ?? 'both';
  if (direction === 'response' && !sample.response)
    throw new TranslateInputError(`sample file ${opts.file} has no "response" to translate`);

  const { params, body, headers, ...rest } = sample.request;
  const request: RequestRecord = { ...rest, method: rest.method.toUpperCase(), headers: { ...headers }, body: null };
  if (body !== undefined) {
    const isText = typeof body === 'string';
    if (!headers['content-type']) request.headers['content-type'] = isText ? 'text/plain' : 'application/json';
    request.body = encodeBody(Buffer.from(isText ? body : (stringifyExact(body) ?? 'null'), 'utf8'));
  }
  const budget = { timeoutMs: opts.timeoutMs };
  const out: Record<string, unknown> = { translator: t.name };
  if (direction !== 'response') {
    const translated = await translateRequest(t, request, params, budget);
    const { rawQuery: _raw, headerNames: _names, ...shown } = translated;
    out.request = { ...shown, body: showBody(parseTranslatableBody(decodeBody(translated.body), translated.headers)) };
  }
  if (direction !== 'request' && sample.response) {
    const res: TranslatableResponse = {
      status: sample.response.status,
      headers: { ...sample.response.headers },
      body: sample.response.body,
    };
    if (res.body !== undefined && typeof res.body !== 'string' && !res.headers['content-type'])
      res.headers['content-type'] = 'application/json';
    const ctx = { request: toTranslatableRequest(request, params), route: sample.route ?? 'sample' };
    const translated = await translateResponse(t, res, ctx, budget);
    out.response = { ...translated, body: showBody(translated.body) };
  }
  // numbers past 2^53 read from the sample (or made by the translator) are printed with every digit
  return stringifyExact(out, 2) ?? '';
}

/**
 * Wire `tandem translate <name> <file>`: prints the result to stdout; on error
 * prints `tandem translate: <message>` to stderr and sets exit code 2 for bad input
 * (unknown translator or route without one, unloadable module, bad sample file) and
 * 1 when the translator itself failed on the sample.
 *
 * @example
 * registerTranslateCommand(program); // tandem translate products-v2 translators/samples/products-v2.json -d response
 */
export function registerTranslateCommand(program: Command): void {
  program
    .command('translate')
    .description('run a translator on a sample request/response file and print what it produces')
    .argument('<name>', "translator name (builtin, exported by --module or by the config's translators), or a route name of --config")
    .argument(
      '<file>',
      'sample JSON: { "request": { method, path, query?, headers?, body?, params? }, "response"?: { status, headers?, body? } }',
    )
    .option('-c, --config <file>', 'load the translators this config file lists (and resolve route names to their translator)')
    .option(
      '-m, --module <path>',
      'translator module to load (.js, or .ts in development); repeatable',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .addOption(
      new Option('-d, --direction <direction>', 'which side to translate').choices(['request', 'response', 'both']).default('both'),
    )
    .option('--timeout <ms>', "time budget per call in ms (default: the translator's, else 50)", wholeNumber(1))
    .addHelpText(
      'after',
      '\nExamples:\n  tandem translate products-v2 translators/samples/products-v2.json\n  tandem translate -c tandem.yaml product sample.json -d response',
    )
    .action(async function (
      this: Command,
      name: string,
      file: string,
      o: { config?: string; module: string[]; direction: TranslateCommandOptions['direction']; timeout?: number },
    ) {
      const output = this.configureOutput();
      // The config's own modules (paths already resolved against the config file), and its route names as aliases.
      const config = o.config ? loadConfigOrExit(o.config) : undefined;
      const route = config?.routes.find((r) => r.name === name);
      const writeErr = output.writeErr ?? ((s: string) => process.stderr.write(s));
      if (route && !route.translator) {
        writeErr(
          `tandem translate: route "${name}" of ${o.config} has no request/response translator: its requests and responses reach the candidate as sent, so there is nothing to translate\n`,
        );
        process.exitCode = 2;
        return;
      }
      const translator = route?.translator ?? name;
      try {
        const text = await runTranslate({
          configFile: o.config,
          translator,
          file,
          modules: [...(config?.translators ?? []), ...o.module],
          direction: o.direction,
          timeoutMs: o.timeout,
        });
        (output.writeOut ?? ((s: string) => process.stdout.write(s)))(`${text}\n`);
      } catch (e) {
        const err = e as Error & { code?: string };
        const detail = e instanceof TranslationFailure ? ` (${e.stage} stage)` : e instanceof TranslatorError ? ` (${err.code})` : '';
        writeErr(`tandem translate: ${err.message}${detail}\n`);
        // Bad input (help: "2 bad usage ... a bad value"); 1 only when the translator failed on the sample.
        process.exitCode = e instanceof TranslationFailure ? 1 : e instanceof TranslatorError || e instanceof TranslateInputError ? 2 : 1;
      }
    });
}

function readSample(file: string): z.output<typeof sampleSchema> {
  let raw: unknown;
  try {
    raw = parseJsonExact(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TranslateInputError(`sample file ${file}: ${(e as Error).message}`);
  }
  const parsed = sampleSchema.safeParse(raw);
  if (!parsed.success)
    throw new TranslateInputError(
      `sample file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function showBody(body: unknown): unknown {
  return Buffer.isBuffer(body) ? { base64: body.toString('base64'), bytes: body.length } : body;
}
