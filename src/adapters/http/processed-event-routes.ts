import type Router from '@koa/router';
import type { Middleware } from 'koa';
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { EventType, UserId } from '../../domain/event-fields';
import { optional } from '../../domain/codec-combinators';
import { withoutExcessKeys } from '../../domain/without-excess-keys';
import type { ListProcessedEvents } from '../../application/list-processed-events';
import type { GetProcessedEvent } from '../../application/get-processed-event';
import { decodeInput } from './decode-input';
import { encodeCursor, PageCursor } from './page-cursor';
import { respond } from './respond';
import { findByEventId } from './find-by-event-id';
import { limitUpTo } from './limit-codec';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

const PageLimit = limitUpTo(MAX_PAGE_LIMIT);

const ListQuery = withoutExcessKeys(
  t.type({
    limit: optional(PageLimit),
    cursor: optional(PageCursor),
    userId: optional(UserId),
    eventType: optional(EventType),
  }),
  ['limit', 'cursor', 'userId', 'eventType'],
);

export interface ProcessedEventRoutesDependencies {
  readonly listProcessedEvents: ListProcessedEvents;
  readonly getProcessedEvent: GetProcessedEvent;
  /** Who may read: runs before each route. */
  readonly readAccess: Middleware;
}

/** GET /events/processed (paged, filtered) and GET /events/processed/:eventId (the receipt). */
export function addProcessedEventRoutes(
  router: Router,
  deps: ProcessedEventRoutesDependencies,
): void {
  router.get('/events/processed', deps.readAccess, async (ctx) => {
    const query = decodeInput(ListQuery, ctx.query, 'the query is invalid');
    const page = await pipe(
      TE.fromEither(query),
      TE.chainW(({ limit, cursor, userId, eventType }) =>
        deps.listProcessedEvents.execute({
          limit: limit ?? DEFAULT_PAGE_LIMIT,
          after: cursor,
          userId,
          eventType,
        }),
      ),
    )();
    respond(ctx, page, ({ events, next }) => {
      if (next !== undefined && E.isRight(query)) {
        const params = new URLSearchParams({
          ...definedOnly(ctx.query),
          cursor: encodeCursor(next),
        });
        ctx.set('Link', `</events/processed?${params.toString()}>; rel="next"`);
      }
      ctx.body = events;
    });
  });

  router.get('/events/processed/:eventId', deps.readAccess, async (ctx) => {
    const found = await findByEventId(
      ctx.params.eventId,
      (eventId) => deps.getProcessedEvent.execute(eventId),
      (eventId) => ({ _tag: 'NotProcessed', eventId }),
    );
    respond(ctx, found, (event) => (ctx.body = event));
  });
}

const definedOnly = (
  query: Record<string, string | string[] | undefined>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(query).flatMap(([key, value]) =>
      typeof value === 'string' && key !== 'cursor' ? [[key, value]] : [],
    ),
  );
