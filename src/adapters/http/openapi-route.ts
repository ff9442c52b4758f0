import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type Router from '@koa/router';
import { parse } from 'yaml';

// The same place relative to src/ and to dist/: the document is kept in docs/ and served as is.
const DOCUMENT = resolve(__dirname, '../../../docs/openapi.yaml');

let document: Promise<unknown> | undefined;

/** docs/openapi.yaml as a JSON value, read once. */
export const openApiDocument = (): Promise<unknown> => {
  document ??= readFile(DOCUMENT, 'utf8').then((text) => parse(text) as unknown);
  return document;
};

/** GET /openapi.json: the OpenAPI 3.1 document of this API. */
export function addOpenApiRoute(router: Router): void {
  router.get('/openapi.json', async (ctx) => {
    ctx.body = await openApiDocument();
  });
}
