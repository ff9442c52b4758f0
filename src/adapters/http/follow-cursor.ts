import * as t from 'io-ts';
import type { FollowCursor } from '../../application/processed-event-store.port';
import { matchOpaqueToken, toOpaqueToken } from './opaque-token';

// A group is a PostgreSQL xid8 (at most 20 digits); positions stay below 2^53.
const CURSOR_TEXT = /^follow:(\d{1,20}):(\d{1,15})$/;

/** The SSE `id` of a streamed event, opaque to clients. */
export const encodeFollowCursor = ({ group, position }: FollowCursor): string =>
  toOpaqueToken(`follow:${group}:${position}`);

export const FollowCursorText = new t.Type<FollowCursor, string, unknown>(
  'FollowCursor',
  (input): input is FollowCursor =>
    typeof input === 'object' && input !== null && 'group' in input && 'position' in input,
  (input, context) => {
    const match = matchOpaqueToken(input, CURSOR_TEXT);
    return match === null
      ? t.failure(input, context, 'must be the id of an event of GET /events/stream')
      : t.success({ group: String(BigInt(match[1]!)), position: Number(match[2]) });
  },
  encodeFollowCursor,
);
