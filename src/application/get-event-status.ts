import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import type { EventId } from '../domain/event-fields';
import { statusOfProcessed, type EventStatus } from './event-status';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** Where an event stands: none when the service knows nothing of its id. */
@injectable()
export class GetEventStatus {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  execute(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<EventStatus>> {
    return TE.map(O.map(statusOfProcessed))(this.store.findById(eventId));
  }
}
