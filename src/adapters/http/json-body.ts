import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { sendProblem, statusProblem } from './problem';

/**
 * Middlewares that parse a JSON body of at most `maxBodyBytes` (after decompression). Any other
 * content type is refused with 415 rather than silently read as an empty object.
 */
export const jsonBody = (maxBodyBytes: number): Middleware[] => [
  (ctx, next) => {
    if (ctx.is('application/json') === 'application/json') return next();
    const detail = 'send the body as Content-Type: application/json';
    sendProblem(ctx, statusProblem(415, 'Unsupported media type', detail));
    return undefined;
  },
  bodyParser({ enableTypes: ['json'], jsonLimit: `${maxBodyBytes}b`, strict: true }),
];
