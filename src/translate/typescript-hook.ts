/*
 * TypeScript translators in development: a `.ts` path in `translators:` is loaded by
 * transpiling it with the `typescript` package's `transpileModule` (CommonJS, no
 * type checking) when that package is installed, through a require hook that also
 * covers the `.ts` files it imports. In production compile translators with `tsc`
 * and list the `.js` files: the `typescript` package is a development dependency,
 * and without it a `.ts` path fails at start with an error saying so. It must be
 * TypeScript 5 (or 4): TypeScript 7 is a native compiler with no JavaScript API.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { TRANSLATOR_ERRORS, TranslatorError } from './errors';

type TypeScript = typeof import('typescript');
type CompilableModule = NodeJS.Module & { _compile(code: string, filename: string): void };
const extensions = (Module as unknown as { _extensions: Record<string, (m: CompilableModule, filename: string) => void> })._extensions;

/**
 * The `typescript` package if it is installed, else undefined.
 *
 * @example
 * resolveTypeScript()?.version; // '5.9.3'
 */
export function resolveTypeScript(): TypeScript | undefined {
  try {
    return require('typescript') as TypeScript;
  } catch {
    return undefined;
  }
}

/**
 * Transpile TypeScript source to CommonJS (syntax errors throw a LOAD error with
 * file, line and column; types are not checked).
 *
 * @example
 * transpileTypeScript(resolveTypeScript()!, 'export default 1', 'x.ts'); // '"use strict";\n...exports.default = 1;...'
 */
export function transpileTypeScript(ts: TypeScript, source: string, filename: string): string {
  const out = ts.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const lines = errors.map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${filename}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    throw new TranslatorError(TRANSLATOR_ERRORS.LOAD, `cannot compile translator module: ${lines.join('; ')}`);
  }
  return out.outputText;
}

/** What to do when `.ts` translators cannot be loaded: the two ways out, in the user's words. */
const INSTALL_OR_COMPILE =
  'For development, install TypeScript 5 (npm install --save-dev typescript@5); for production, ' +
  'compile translators with tsc and list the .js files in "translators".';

/**
 * Make `.ts`/`.cts` files requirable: install the transpiling require hook on first
 * use (kept when another hook such as ts-node already handles `.ts`). Throws a LOAD
 * error naming `file` when the `typescript` package is not installed, or is one without
 * the JavaScript API (`transpileModule`), such as TypeScript 7.
 *
 * @example
 * enableTypeScript('/app/translators/orders.ts');
 */
export function enableTypeScript(file: string, resolveTs: () => TypeScript | undefined = resolveTypeScript): void {
  const ts = resolveTs();
  if (!ts)
    throw new TranslatorError(
      TRANSLATOR_ERRORS.LOAD,
      `cannot load TypeScript translator ${file}: the "typescript" package is not installed. ${INSTALL_OR_COMPILE}`,
    );
  // TypeScript 7 (what `npm install -D typescript` gives since its release) is a native compiler whose package exports only its version
  if (typeof (ts as Partial<TypeScript>).transpileModule !== 'function') {
    throw new TranslatorError(
      TRANSLATOR_ERRORS.LOAD,
      `cannot load TypeScript translator ${file}: the installed "typescript" package (${String(ts.version)}) has no transpileModule ` +
        `(TypeScript 7 ships no JavaScript API). ${INSTALL_OR_COMPILE}`,
    );
  }
  for (const ext of ['.ts', '.cts']) {
    extensions[ext] ??= (m, filename) => m._compile(transpileTypeScript(ts, readFileSync(filename, 'utf8'), filename), filename);
  }
}
