import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import type { EventId } from '../domain/event-fields';
import { statusOfProcessed, statusOfPublished, type EventStatus } from './event-status';
import { PUBLISHED_EVENTS, type PublishedEvents } from './published-events.port';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEvent,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/**
 * Where an event stands: what its processing left in the store, else where this instance
 * published it; none when the service knows nothing of its id.
 */
@injectable()
export class GetEventStatus {
  constructor(
    @inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore,
    @inject(PUBLISHED_EVENTS) private readonly published: PublishedEvents,
  ) {}

  execute(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<EventStatus>> {
    return TE.map(
      O.match(
        (): O.Option<EventStatus> =>
          O.map(statusOfPublished)(O.fromNullable(this.published.find(eventId))),
        (processed: ProcessedEvent) => O.some(statusOfProcessed(processed)),
      ),
    )(this.store.findById(eventId));
  }
}
