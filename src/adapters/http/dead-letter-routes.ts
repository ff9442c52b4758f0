import type Router from '@koa/router';
import type { Middleware } from 'koa';
import * as t from 'io-ts';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { optional, text, withRule } from '../../domain/codec-combinators';
import { withoutExcessKeys } from '../../domain/without-excess-keys';
import type { DeadLetterQueue } from '../../application/dead-letter-queue';
import { decodeInput } from './decode-input';
import { respond } from './respond';
import { limitUpTo } from './limit-codec';

export const DEFAULT_LETTER_LIMIT = 100;
export const MAX_LETTER_LIMIT = 1000;
export const MAX_REPLAYED_LETTERS = 500;

const LetterLimit = limitUpTo(MAX_LETTER_LIMIT);

/** Where a letter is on the queue: `partition:offset`, as GET /dead-letters names it. */
const LetterId = withRule<string, string, unknown>('LetterId', text, (id) =>
  /^\d{1,10}:\d{1,19}$/.test(id) ? undefined : 'must be partition:offset, as listed',
);

const ListQuery = withoutExcessKeys(t.type({ limit: optional(LetterLimit) }), ['limit']);

const ReplayRequest = withoutExcessKeys(
  t.type({
    ids: withRule<string[], string[], unknown>('LetterIds', t.array(LetterId), (ids) =>
      ids.length >= 1 && ids.length <= MAX_REPLAYED_LETTERS
        ? undefined
        : `must name 1 to ${MAX_REPLAYED_LETTERS} letters`,
    ),
  }),
  ['ids'],
);

export interface DeadLetterRoutesDependencies {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly readAccess: Middleware;
  /** Runs before the body is read: a write key, content type, body parsing. */
  readonly beforeBody: readonly Middleware[];
}

/**
 * GET /dead-letters and POST /dead-letters/replay: what `npm run dlq -- list` and `replay` do,
 * through the same code, for the console and for any client with a key.
 */
export function addDeadLetterRoutes(router: Router, deps: DeadLetterRoutesDependencies): void {
  router.get('/dead-letters', deps.readAccess, async (ctx) => {
    const listed = await pipe(
      TE.fromEither(decodeInput(ListQuery, ctx.query, 'the query is invalid')),
      TE.chainW(({ limit }) => deps.deadLetterQueue.list(limit ?? DEFAULT_LETTER_LIMIT)),
    )();
    respond(ctx, listed, (list) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = list;
    });
  });

  router.post('/dead-letters/replay', ...deps.beforeBody, async (ctx) => {
    const replayed = await pipe(
      TE.fromEither(decodeInput(ReplayRequest, ctx.request.body, 'the replay is invalid')),
      TE.chainW(({ ids }) => deps.deadLetterQueue.replay([...new Set(ids)])),
    )();
    respond(ctx, replayed, (outcome) => {
      ctx.body = outcome;
    });
  });
}
