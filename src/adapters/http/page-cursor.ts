import * as t from 'io-ts';
import type { ProcessingPosition } from '../../application/processed-event-store.port';
import { matchOpaqueToken, toOpaqueToken } from './opaque-token';

const CURSOR_TEXT = /^after:(\d{1,15})$/;

/** Opaque to clients: a base64url token that names where the previous page ended. */
export const encodeCursor = (position: ProcessingPosition): string =>
  toOpaqueToken(`after:${position}`);

export const PageCursor = new t.Type<ProcessingPosition, string, unknown>(
  'PageCursor',
  (input): input is ProcessingPosition => typeof input === 'number',
  (input, context) => {
    const match = matchOpaqueToken(input, CURSOR_TEXT);
    return match === null
      ? t.failure(input, context, 'must be a cursor taken from a Link header of this API')
      : t.success(Number(match[1]));
  },
  encodeCursor,
);
