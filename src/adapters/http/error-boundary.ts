import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { sendProblem, statusProblem } from './problem';

interface HttpError {
  readonly status: number;
  readonly type?: string;
  readonly expose?: boolean;
}

const isHttpError = (error: unknown): error is HttpError =>
  typeof error === 'object' && error !== null && typeof (error as HttpError).status === 'number';

/**
 * Turns whatever a request ran into into a problem response: client errors from the body parser
 * get their status with a message of ours (theirs can quote the input); anything else is a bug,
 * logged with its cause and answered with an opaque 500.
 */
export const errorBoundary =
  (logger: Logger, maxBodyBytes: number): Middleware =>
  async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        sendProblem(ctx, statusProblem(404, 'Not found', `no route for ${ctx.method} ${ctx.path}`));
      } else if (ctx.status === 405 && ctx.body === undefined) {
        sendProblem(
          ctx,
          statusProblem(405, 'Method not allowed', `allowed: ${ctx.response.get('Allow')}`),
        );
      }
    } catch (error: unknown) {
      if (isHttpError(error) && error.status >= 400 && error.status < 500) {
        sendProblem(ctx, clientProblem(error, maxBodyBytes));
        return;
      }
      logger.error({ err: error, requestId: ctx.state.requestId }, 'request failed unexpectedly');
      sendProblem(
        ctx,
        statusProblem(500, 'Internal error', 'the request failed unexpectedly; it has been logged'),
      );
    }
  };

function clientProblem(error: HttpError, maxBodyBytes: number) {
  switch (error.status) {
    case 413:
      return statusProblem(
        413,
        'Payload too large',
        `the body must not exceed ${maxBodyBytes} bytes`,
      );
    case 415:
      return statusProblem(415, 'Unsupported media type', 'the body must be UTF-8 JSON');
    case 400:
      return statusProblem(400, 'Malformed body', 'the body is not valid JSON');
    default:
      return statusProblem(error.status, 'Bad request', 'the request could not be read');
  }
}
