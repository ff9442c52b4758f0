import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import {
  PROCESSED_EVENT_STORE,
  type ProcessedEventPage,
  type ProcessedEventQuery,
  type ProcessedEventStore,
  type StoreUnavailable,
} from './processed-event-store.port';

/** A page of processed events, oldest first, optionally for one user or one event type. */
@injectable()
export class ListProcessedEvents {
  constructor(@inject(PROCESSED_EVENT_STORE) private readonly store: ProcessedEventStore) {}

  execute(query: ProcessedEventQuery): TaskEither<StoreUnavailable, ProcessedEventPage> {
    return this.store.list(query);
  }
}
