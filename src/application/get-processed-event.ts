import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Option } from 'fp-ts/Option';
import type { EventId } from '../domain/event-fields';
import type { UserEvent } from '../domain/user-event';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** The processing receipt of one event: the event once processed, none before. */
@injectable()
export class GetProcessedEvent {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  execute(eventId: EventId): TaskEither<StoreUnavailable, Option<UserEvent>> {
    return this.store.findById(eventId);
  }
}
