import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import type { EventId } from '../domain/event-fields';
import type { UserEvent } from '../domain/user-event';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEvent,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** The processing receipt of one event: the event once processed, none before. */
@injectable()
export class GetProcessedEvent {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  execute(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<UserEvent>> {
    return TE.map(O.map((processed: ProcessedEvent) => processed.event))(
      this.store.findById(eventId),
    );
  }
}
