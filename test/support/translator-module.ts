import { join } from 'node:path';
import { tempDir } from './processes';

/** A translator module written by {@link writeTranslatorModule}: its absolute path, and how to delete it. */
export interface TranslatorModule {
  path: string;
  remove(): void;
}

/**
 * A translator module for a test: `source` (CommonJS text exporting one translator or an
 * array of them) written as `name` into a fresh temporary folder. `path` is the module's
 * absolute path, as `translators: [path]` takes it; `remove()` deletes the folder (call it
 * in afterAll, after the Tandem that loaded the module has stopped).
 *
 * @example
 * const module = writeTranslatorModule("module.exports = { name: 'id', request: (r) => r };\n");
 * tandem = await startTestTandem({ ..., translators: [module.path] });
 * afterAll(async () => { await tandem.stop(); module.remove(); });
 */
export function writeTranslatorModule(source: string, name = 'translators.js'): TranslatorModule {
  const dir = tempDir('translator', { [name]: source });
  return { path: join(dir.path, name), remove: dir.remove };
}

/**
 * Two request translators, in one module: `header` adds `x-touched: 1` and leaves the body
 * as the client sent it; `body` replaces the body with `{ "replaced": true }`.
 * {@link HEADER_OR_BODY_ROUTES} routes `POST /header/*` and `POST /body/*` to them.
 */
export const HEADER_OR_BODY_TRANSLATORS = `module.exports = [
  { name: 'header', request: (r) => ({ ...r, headers: { ...r.headers, 'x-touched': '1' } }) },
  { name: 'body', request: (r) => ({ ...r, body: { replaced: true } }) },
];
`;

/** Mirrored write routes for {@link HEADER_OR_BODY_TRANSLATORS}: `POST /header/*` and `POST /body/*`. */
export const HEADER_OR_BODY_ROUTES = [
  { name: 'header', match: 'POST /header/*', mirrorWrites: true, translator: 'header' },
  { name: 'body', match: 'POST /body/*', mirrorWrites: true, translator: 'body' },
];
