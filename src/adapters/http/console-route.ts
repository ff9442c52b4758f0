import { readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';

// The same place relative to src/ and to dist/: the page's own files are served as they are.
const PAGE_FILES = resolve(__dirname, '../../../src/console');

// Stricter than the API's `default-src 'none'` only in what the page needs: its own scripts,
// styles and requests, nothing inline, nothing from elsewhere.
const CONSOLE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const packageFile = (name: string, file: string): string =>
  join(dirname(require.resolve(`${name}/package.json`)), file);

/**
 * What the page loads besides its own files, under /console/vendor/: libraries of the service's
 * own dependencies (no CDN), by the names its modules import them by.
 */
const LIBRARIES: ReadonlyArray<readonly [string, string]> = [
  ['uplot.js', packageFile('uplot', 'dist/uPlot.esm.js')],
  ['uplot.css', packageFile('uplot', 'dist/uPlot.min.css')],
  // stream.js imports ./parse.js, which imports ./errors.js: the three side by side.
  ...['stream.js', 'parse.js', 'errors.js'].map(
    (name) => [name, packageFile('eventsource-parser', `dist/${name}`)] as const,
  ),
];

/** The files, by name, read once at start-up. */
const assetsOf = (files: ReadonlyArray<readonly [string, string]>): ReadonlyMap<string, Asset> =>
  new Map(
    files.map(([name, file]) => [name, { type: TYPES[extname(file)]!, body: readFileSync(file) }]),
  );

const pageFiles = (): ReadonlyArray<readonly [string, string]> =>
  readdirSync(PAGE_FILES)
    .filter((name) => TYPES[extname(name)] !== undefined)
    .map((name) => [name, join(PAGE_FILES, name)] as const);

/** Answers the asset named by the route's `file`; an unknown name is an unknown path (404). */
const served =
  (assets: ReadonlyMap<string, Asset>, name?: string) =>
  (ctx: RouterContext): void => {
    const asset = assets.get(name ?? ctx.params.file ?? '');
    if (asset === undefined) return;
    ctx.res.setHeader('Content-Security-Policy', CONSOLE_POLICY);
    ctx.type = asset.type;
    ctx.body = asset.body;
  };

/**
 * GET /console: the operator console, one page and the files it loads. It holds no data: every
 * figure comes from the API's own routes, with the key the operator types in the page.
 */
export function addConsoleRoutes(router: Router): void {
  const page = assetsOf(pageFiles());
  router.get('/console', served(page, 'index.html'));
  router.get('/console/:file', served(page));
  router.get('/console/vendor/:file', served(assetsOf(LIBRARIES)));
}
