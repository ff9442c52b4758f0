import * as t from 'io-ts';
import type { FollowCursor } from '../../application/processed-event-store.port';

// A group is a PostgreSQL xid8 (at most 20 digits); positions stay below 2^53.
const CURSOR_TEXT = /^follow:(\d{1,20}):(\d{1,15})$/;

/** Opaque to clients: the SSE `id` of a streamed event, a base64url token. */
export const encodeFollowCursor = ({ group, position }: FollowCursor): string =>
  Buffer.from(`follow:${group}:${position}`, 'utf8').toString('base64url');

export const FollowCursorText = new t.Type<FollowCursor, string, unknown>(
  'FollowCursor',
  (input): input is FollowCursor =>
    typeof input === 'object' && input !== null && 'group' in input && 'position' in input,
  (input, context) => {
    const match =
      typeof input === 'string'
        ? CURSOR_TEXT.exec(Buffer.from(input, 'base64url').toString('utf8'))
        : null;
    return match === null
      ? t.failure(input, context, 'must be the id of an event of GET /events/stream')
      : t.success({ group: String(BigInt(match[1]!)), position: Number(match[2]) });
  },
  encodeFollowCursor,
);
