import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { ERROR_CLASSES, formatRate } from '../queries';

/**
 * Asset names served from `reports/`: one flat name, lower-case, a known extension. No slashes, no dots in the stem.
 *
 * @example
 * ASSET_NAME.test('app.js'); // true; '../x.js' and 'a/b.js' are false
 */
export const ASSET_NAME = /^[a-z0-9][a-z0-9-]{0,63}\.(js|css|html|svg)$/;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * Content Security Policy of the report page: only its own scripts and styles; no inline scripts.
 *
 * @example
 * res.set('content-security-policy', REPORT_CSP);
 */
export const REPORT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * `GET /assets/figures.js`, the page's figures module, written from the server's own
 * definitions rather than copied: `formatRate` is the source of the very function the CLI,
 * the API's sentences and the notifications format rates with, and `ERROR_CLASSES` the
 * match rate's error classes. So the page cannot show a rate rounded otherwise.
 *
 * @example
 * // in the page: import { formatRate, ERROR_CLASSES } from './figures.js';
 */
export const FIGURES_JS = `// written by the server from src/store/match-rate.ts: one definition of how a rate is shown
export const formatRate = ${formatRate.toString()};
export const ERROR_CLASSES = ${JSON.stringify(ERROR_CLASSES)};
`;

/**
 * The third-party browser files the page uses, by the name it asks for. Only these are
 * served from `node_modules`, resolved once at start.
 *
 * @example
 * vendorFiles()['diff2html.min.js']; // '/…/node_modules/diff2html/bundles/js/diff2html.min.js'
 */
export function vendorFiles(): Record<string, string> {
  const d2h = path.dirname(require.resolve('diff2html/package.json'));
  const jsdiff = path.dirname(require.resolve('diff/package.json', { paths: [d2h] }));
  return {
    'diff2html.min.js': path.join(d2h, 'bundles/js/diff2html.min.js'),
    'diff2html.min.css': path.join(d2h, 'bundles/css/diff2html.min.css'),
    'diff.min.js': path.join(jsdiff, 'dist/diff.min.js'),
  };
}

/**
 * The folder with the report's static files: the top-level `reports/` of the package
 * (found upwards from this file, so it works from `src/` and from `dist/`).
 *
 * @example
 * findReportsDir(); // '/app/reports'
 */
export function findReportsDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'reports', 'index.html'))) return path.join(dir, 'reports');
    if (path.dirname(dir) === dir) throw new Error('the report assets (reports/index.html) were not found');
  }
}

/**
 * The report page: `GET /` (index.html; `/_tandem` redirects to `/_tandem/`),
 * `GET /assets/<name>` from `reports/` (flat names matching ASSET_NAME only) and
 * `GET /vendor/<name>` from an explicit allowlist. Anything else is 404; paths are never
 * joined from unchecked input, so `..` and encoded slashes cannot leave the folder.
 *
 * @example
 * router.use(createStaticRouter());
 */
export function createStaticRouter(reportsDir = findReportsDir(), vendor = vendorFiles()): express.Router {
  const r = express.Router();
  const send = async (res: Response, file: string, type: string) => {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return void res.status(404).json({ error: 'not_found' });
    res.set({ 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(await readFile(file));
  };
  r.get('/', async (req: Request, res: Response) => {
    const [pathname, query] = req.originalUrl.split('?');
    if (!pathname.endsWith('/')) return res.redirect(302, `${pathname}/${query ? `?${query}` : ''}`);
    res.set({ 'content-security-policy': REPORT_CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    await send(res, path.join(reportsDir, 'index.html'), TYPES.html);
  });
  r.get('/assets/figures.js', (_req: Request, res: Response) => {
    res.set({ 'content-type': TYPES.js, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(FIGURES_JS);
  });
  r.get('/assets/:name', async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const m = ASSET_NAME.exec(name);
    if (!m) return void res.status(404).json({ error: 'not_found' });
    await send(res, path.join(reportsDir, name), TYPES[m[1]]);
  });
  r.get('/vendor/:name', async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const file = Object.hasOwn(vendor, name) ? vendor[name] : undefined;
    if (!file) return void res.status(404).json({ error: 'not_found' });
    await send(res, file, name.endsWith('.css') ? TYPES.css : TYPES.js);
  });
  return r;
}
