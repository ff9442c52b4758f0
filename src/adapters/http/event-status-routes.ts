import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { EventId } from '../../domain/event-fields';
import type { GetEventStatus } from '../../application/get-event-status';
import type {
  ConflictingStatus,
  EventStatus,
  ProcessedStatus,
} from '../../application/event-status';
import { respond } from './respond';
import { findByEventId } from './find-by-event-id';

export interface EventStatusRoutesDependencies {
  readonly getEventStatus: GetEventStatus;
  /** Who may read: runs before the route. */
  readonly readAccess: Middleware;
}

/** The path of an event's status, which the 201 of a POST links to. */
export const statusPathOf = (eventId: EventId): string => `/events/${eventId}/status`;

/** GET /events/:eventId/status: where an event stands (SPEC section 2). */
export function addEventStatusRoutes(router: Router, deps: EventStatusRoutesDependencies): void {
  router.get('/events/:eventId/status', deps.readAccess, async (ctx) => {
    const found = await findByEventId(
      ctx.params.eventId,
      (eventId) => deps.getEventStatus.execute(eventId),
      (eventId) => ({ _tag: 'UnknownEvent', eventId }),
    );
    respond(ctx, found, (status) => {
      // A status changes by itself: a cache must not answer with an old one.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = statusBody(status);
    });
  });
}

/** The JSON of a status: `eventId` and `status` first, instants as ISO 8601, offsets as text. */
function statusBody(status: EventStatus): Readonly<Record<string, unknown>> {
  const head = { eventId: status.eventId, status: status.status };
  switch (status.status) {
    case 'published':
      return { ...head, ...status.location, publishedAt: status.publishedAt.toISOString() };
    case 'processed':
      return { ...head, ...processedFacts(status) };
    case 'conflicting':
      return {
        ...head,
        ...processedFacts(status),
        conflicts: status.conflicts,
        lastConflictAt: status.lastConflictAt.toISOString(),
      };
    case 'retrying':
      return {
        ...head,
        attempts: status.attempts,
        error: status.error,
        lastAttemptAt: status.lastAttemptAt.toISOString(),
      };
    case 'dead-lettered':
      return {
        ...head,
        reason: status.reason,
        error: status.error,
        deadLetteredAt: status.deadLetteredAt.toISOString(),
        deadLetter: status.deadLetter,
      };
  }
}

const processedFacts = (status: ProcessedStatus | ConflictingStatus) => ({
  partition: status.location?.partition,
  offset: status.location?.offset,
  processedAt: status.processedAt.toISOString(),
  latencyMs: status.latencyMs,
  deliveries: status.deliveries,
});
